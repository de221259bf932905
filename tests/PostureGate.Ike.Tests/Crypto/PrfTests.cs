using System.Security.Cryptography;
using System.Text;
using PostureGate.Ike.Crypto;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Crypto;

public class PrfTests
{
    private static byte[] Repeat(byte value, int count) => Enumerable.Repeat(value, count).ToArray();

    // RFC 4231 §4.2 Test Case 1 (Key = 0x0b x 20, Data = "Hi There") and RFC 2202 §3 test case 1 for SHA-1.
    [Theory]
    [InlineData(PrfAlgorithm.HmacSha1, "b617318655057264e28bc0b6fb378c8ef146be00")]
    [InlineData(PrfAlgorithm.HmacSha2_256, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
    [InlineData(PrfAlgorithm.HmacSha2_384, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6")]
    [InlineData(PrfAlgorithm.HmacSha2_512, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854")]
    public void Rfc4231TestCase1(PrfAlgorithm algorithm, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Prf.Get(algorithm).Compute(Repeat(0x0b, 20), "Hi There"u8)));

    // RFC 4231 §4.3 Test Case 2: a key shorter than the output.
    [Fact]
    public void Rfc4231TestCase2() =>
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            Convert.ToHexStringLower(Prf.Get(PrfAlgorithm.HmacSha2_256).Compute("Jefe"u8, "what do ya want for nothing?"u8)));

    // RFC 4868 §2.7.1 PRF-HMAC-SHA-256/384/512 with keys of the output length (Test Case PRF-1 family, "Hi There").
    [Theory]
    [InlineData(PrfAlgorithm.HmacSha2_256, 32, "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7")]
    [InlineData(PrfAlgorithm.HmacSha2_384, 48, "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee9737a959796489bddbc4c5df61d5b3297b4fb68dab9f1b582c2")]
    [InlineData(PrfAlgorithm.HmacSha2_512, 64, "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b")]
    public void Rfc4868FullLengthKeys(PrfAlgorithm algorithm, int keyLength, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Prf.Get(algorithm).Compute(Repeat(0x0b, keyLength), "Hi There"u8)));

    [Fact]
    public void ThreePartCompute_EqualsTheConcatenation()
    {
        var prf = Prf.Get(PrfAlgorithm.HmacSha2_384);
        var a = Repeat(1, 10);
        var b = Repeat(2, 33);
        var c = Repeat(3, 0);
        var split = new byte[48];
        prf.Compute("key"u8, a, b, c, split);
        Assert.Equal(prf.Compute("key"u8, [.. a, .. b, .. c]), split);
    }

    // RFC 7296 §2.13, computed block by block with the BCL's HMAC as an independent reference.
    [Theory]
    [InlineData(PrfAlgorithm.HmacSha1, 61)]
    [InlineData(PrfAlgorithm.HmacSha2_256, 32)]
    [InlineData(PrfAlgorithm.HmacSha2_256, 200)]
    [InlineData(PrfAlgorithm.HmacSha2_512, 129)]
    public void PrfPlus_FollowsTheDefinition(PrfAlgorithm algorithm, int length)
    {
        var prf = Prf.Get(algorithm);
        var key = Encoding.ASCII.GetBytes("SKEYSEED-like key");
        var seed = Repeat(0x5a, 80);
        var output = new byte[length];
        prf.Expand(key, seed, output);

        var expected = new List<byte>();
        var previous = Array.Empty<byte>();
        for (byte n = 1; expected.Count < length; n++)
        {
            previous = HMAC(algorithm, key, [.. previous, .. seed, n]);
            expected.AddRange(previous);
        }
        Assert.Equal(expected.Take(length), output);
    }

    [Fact]
    public void PrfPlus_IsAPrefixStream()
    {
        var prf = Prf.Get(PrfAlgorithm.HmacSha2_256);
        var shortOut = new byte[40];
        var longOut = new byte[100];
        prf.Expand("k"u8, "s"u8, shortOut);
        prf.Expand("k"u8, "s"u8, longOut);
        Assert.Equal(shortOut, longOut[..40]);
    }

    [Fact]
    public void PrfPlus_StopsAt255Blocks()
    {
        var prf = Prf.Get(PrfAlgorithm.HmacSha1);
        prf.Expand("k"u8, "s"u8, new byte[255 * 20]);
        Assert.Throws<ArgumentException>(() => prf.Expand("k"u8, "s"u8, new byte[255 * 20 + 1]));
    }

    [Fact]
    public void Unsupported_Throws()
    {
        Assert.False(Prf.IsSupported(PrfAlgorithm.None));
        Assert.Throws<NotSupportedException>(() => Prf.Get((PrfAlgorithm)4));
    }

    private static byte[] HMAC(PrfAlgorithm algorithm, byte[] key, byte[] data) => algorithm switch
    {
        PrfAlgorithm.HmacSha1 => HMACSHA1.HashData(key, data),
        PrfAlgorithm.HmacSha2_256 => HMACSHA256.HashData(key, data),
        PrfAlgorithm.HmacSha2_384 => HMACSHA384.HashData(key, data),
        _ => HMACSHA512.HashData(key, data),
    };
}
