// RFC 7296 §2.15 Authentication of the IKE SA with a shared key (Auth Method 2,
// "Shared Key Message Integrity Code"), also used after EAP with the MSK as the
// secret (§2.16):
//   InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI
//   MACedIDForI           = prf(SK_pi, RestOfInitIDPayload)        (IDi' = ID payload body)
//   AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <InitiatorSignedOctets>)
// (responder: RealMessage2 | NonceIData | prf(SK_pr, IDr')).
using System.Security.Cryptography;

namespace PostureGate.Ike.Crypto;

public static class SharedKeyAuth
{
    /// <summary>§2.15: the 17 ASCII octets, no terminator.</summary>
    public static ReadOnlySpan<byte> KeyPad => "Key Pad for IKEv2"u8;

    /// <summary>
    /// The signed octets: <paramref name="realMessage"/> is the signer's IKE_SA_INIT message as sent,
    /// <paramref name="peerNonce"/> the other side's nonce data, <paramref name="skP"/> the signer's SK_pi/SK_pr,
    /// <paramref name="idBody"/> the signer's ID payload body (type, reserved, data).
    /// </summary>
    public static byte[] SignedOctets(Prf prf, ReadOnlySpan<byte> realMessage, ReadOnlySpan<byte> peerNonce,
        ReadOnlySpan<byte> skP, ReadOnlySpan<byte> idBody)
    {
        var octets = new byte[realMessage.Length + peerNonce.Length + prf.OutputSize];
        realMessage.CopyTo(octets);
        peerNonce.CopyTo(octets.AsSpan(realMessage.Length));
        prf.Compute(skP, idBody, octets.AsSpan(realMessage.Length + peerNonce.Length));
        return octets;
    }

    /// <summary>AUTH data for <paramref name="signedOctets"/> with a pre-shared key or EAP MSK.</summary>
    public static byte[] Compute(Prf prf, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> signedOctets)
    {
        var auth = new byte[prf.OutputSize];
        Compute(prf, sharedSecret, signedOctets, auth);
        return auth;
    }

    public static void Compute(Prf prf, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> signedOctets, Span<byte> destination)
    {
        Span<byte> padKey = stackalloc byte[prf.OutputSize];
        try
        {
            prf.Compute(sharedSecret, KeyPad, padKey);
            prf.Compute(padKey, signedOctets, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padKey);
        }
    }

    /// <summary>Constant-time check of a received AUTH payload's data.</summary>
    public static bool Verify(Prf prf, ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> signedOctets, ReadOnlySpan<byte> received)
    {
        if (received.Length != prf.OutputSize)
            return false;
        Span<byte> expected = stackalloc byte[prf.OutputSize];
        Compute(prf, sharedSecret, signedOctets, expected);
        var ok = CryptographicOperations.FixedTimeEquals(expected, received);
        CryptographicOperations.ZeroMemory(expected);
        return ok;
    }
}
