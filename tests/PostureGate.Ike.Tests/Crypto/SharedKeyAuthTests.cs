using System.Security.Cryptography;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tests.Messages;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Crypto;

public class SharedKeyAuthTests
{
    private static readonly Prf Sha256 = Prf.Get(PrfAlgorithm.HmacSha2_256);

    // RFC 7296 §2.15, recomputed with the BCL's HMAC-SHA-256 directly.
    [Fact]
    public void Compute_FollowsSection2_15()
    {
        var realMessage1 = StrongSwanMessages.IkeSaInitRequest().Encode();
        var nr = StrongSwanMessages.Filled(32, 0x20);
        var skPi = StrongSwanMessages.Filled(32, 0x30);
        var idBody = IdPayload.FromFqdn(PayloadType.IdInitiator, "alice").EncodeBody();
        var psk = "Welcome2strongSwan"u8.ToArray();

        var octets = SharedKeyAuth.SignedOctets(Sha256, realMessage1, nr, skPi, idBody);
        var auth = SharedKeyAuth.Compute(Sha256, psk, octets);

        byte[] expectedOctets = [.. realMessage1, .. nr, .. HMACSHA256.HashData(skPi, idBody)];
        Assert.Equal(expectedOctets, octets);
        Assert.Equal(HMACSHA256.HashData(HMACSHA256.HashData(psk, "Key Pad for IKEv2"u8), expectedOctets), auth);
        Assert.True(SharedKeyAuth.Verify(Sha256, psk, octets, auth));
    }

    [Fact]
    public void Verify_RejectsAnyChange()
    {
        var octets = StrongSwanMessages.Filled(300, 1);
        var msk = StrongSwanMessages.Filled(64, 9); // EAP MSK as the secret (§2.16)
        var auth = SharedKeyAuth.Compute(Sha256, msk, octets);
        Assert.False(SharedKeyAuth.Verify(Sha256, msk[..63], octets, auth));
        octets[7] ^= 1;
        Assert.False(SharedKeyAuth.Verify(Sha256, msk, octets, auth));
        octets[7] ^= 1;
        Assert.False(SharedKeyAuth.Verify(Sha256, msk, octets, auth[..31]));
        Assert.True(SharedKeyAuth.Verify(Sha256, msk, octets, auth));
    }
}
