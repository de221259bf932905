// RFC 7296 §2.15 "Shared Key Message Integrity Code" AUTH payloads: prf(prf(secret, "Key Pad for
// IKEv2"), <SignedOctets>), keyed with the PSK, or with the EAP MSK after EAP (§2.16).
using System.Security.Cryptography;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks.Authentication;

internal static class SharedKeyMic
{
    /// <summary>The peer's AUTH over its IKE_SA_INIT message, our nonce and prf(SK_px, IDx').</summary>
    public static bool Verify(IkeSa sa, AuthPayload auth, byte[] secret)
    {
        if (auth.Method != AuthMethod.SharedKeyMic)
            return false;
        var expected = sa.Keys!.SharedKeyAuth(secret, sa.IsInitiator ? sa.InitResponse : sa.InitRequest,
            sa.IsInitiator ? sa.NonceI : sa.NonceR, sa.PeerIdBody, ofInitiator: !sa.IsInitiator);
        return CryptographicOperations.FixedTimeEquals(expected, auth.Data);
    }

    /// <summary>Our AUTH over our IKE_SA_INIT message, the peer's nonce and prf(SK_px, IDx').</summary>
    public static AuthPayload Build(IkeSa sa, byte[] secret) =>
        new(AuthMethod.SharedKeyMic, sa.Keys!.SharedKeyAuth(secret, sa.IsInitiator ? sa.InitRequest : sa.InitResponse,
            sa.IsInitiator ? sa.NonceR : sa.NonceI, sa.LocalIdBody, ofInitiator: sa.IsInitiator));
}
