using PostureGate.Ike.Crypto;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Crypto;

public class IntegrityTests
{
    // RFC 4868 §2.7.2 AUTH256-1 / AUTH384-1 / AUTH512-1 (Key = 0x0b x key size, Data = "Hi There"), and
    // RFC 2404 via RFC 2202 test case 1 for HMAC-SHA1-96.
    [Theory]
    [InlineData(IntegrityAlgorithm.HmacSha1_96, 20, "b617318655057264e28bc0b6")]
    [InlineData(IntegrityAlgorithm.HmacSha2_256_128, 32, "198a607eb44bfbc69903a0f1cf2bbdc5")]
    [InlineData(IntegrityAlgorithm.HmacSha2_384_192, 48, "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973")]
    [InlineData(IntegrityAlgorithm.HmacSha2_512_256, 64, "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8")]
    public void KnownAnswers(IntegrityAlgorithm algorithm, int keySize, string expected)
    {
        var integrity = Integrity.Get(algorithm);
        Assert.Equal(keySize, integrity.KeySize);
        var key = Enumerable.Repeat((byte)0x0b, keySize).ToArray();
        var icv = new byte[integrity.IcvSize];
        integrity.Compute(key, "Hi There"u8, icv);
        Assert.Equal(expected, Convert.ToHexStringLower(icv));
        Assert.True(integrity.Verify(key, "Hi There"u8, icv));
        icv[^1] ^= 1;
        Assert.False(integrity.Verify(key, "Hi There"u8, icv));
        Assert.False(integrity.Verify(key, "Hi There"u8, icv[..^1]));
    }
}
