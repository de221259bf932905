// RFC 5903 §8 test vectors for groups 19, 20, 21 and RFC 6989 §2.3 rejection
// vectors (point not on the curve, coordinates out of range, (0,0)), run over
// both implementations: libcrypto's EC_KEY ("native") and the platform's
// ECDiffieHellman ("managed", the fallback).
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Proposals;
using Kx = PostureGate.Ike.Crypto.KeyExchange.KeyExchange;

namespace PostureGate.Ike.Tests.Crypto.KeyExchange;

public class EcpKeyExchangeTests
{
    public sealed record Vector(KeyExchangeMethod Method, string I, string Gi, string R, string Gr, string Girx);

    // RFC 5903 §8.1 (256-bit), §8.2 (384-bit), §8.3 (521-bit). Gi/Gr are gix‖giy
    // and grx‖gry, i.e. the KE payload data of §7; Girx the shared secret.
    private static readonly Vector[] s_vectors =
    [
        new(KeyExchangeMethod.Ecp256,
            "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
            "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180" +
            "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
            "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
            "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63" +
            "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
            "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"),
        new(KeyExchangeMethod.Ecp384,
            "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194",
            "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA" +
            "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
            "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
            "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571" +
            "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
            "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746"),
        new(KeyExchangeMethod.Ecp521,
            "0037ADE9319A89F4DABDB3EF411AACCCA5123C61ACAB57B5393DCE47608172A095AA85A30FE1C2952C6771D937BA9777F5957B2639BAB072462F68C27A57382D4A52",
            "0015417E84DBF28C0AD3C278713349DC7DF153C897A1891BD98BAB4357C9ECBEE1E3BF42E00B8E380AEAE57C2D107564941885942AF5A7F4601723C4195D176CED3E" +
            "017CAE20B6641D2EEB695786D8C946146239D099E18E1D5A514C739D7CB4A10AD8A788015AC405D7799DC75E7B7D5B6CF2261A6A7F1507438BF01BEB6CA3926F9582",
            "0145BA99A847AF43793FDD0E872E7CDFA16BE30FDC780F97BCCC3F078380201E9C677D600B343757A3BDBF2A3163E4C2F869CCA7458AA4A4EFFC311F5CB151685EB9",
            "00D0B3975AC4B799F5BEA16D5E13E9AF971D5E9B984C9F39728B5E5739735A219B97C356436ADC6E95BB0352F6BE64A6C2912D4EF2D0433CED2B6171640012D9460F" +
            "015C68226383956E3BD066E797B623C27CE0EAC2F551A10C2C724D9852077B87220B6536C5C408A1D2AEBB8E86D678AE49CB57091F4732296579AB44FCD17F0FC56A",
            "01144C7D79AE6956BC8EDB8E7C787C4521CB086FA64407F97894E5E6B2D79B04D1427E73CA4BAA240A34786859810C06B3C715A3A8CC3151F2BEE417996D19F3DDEA"),
    ];

    private static readonly KeyExchangeMethod[] s_groups =
        [KeyExchangeMethod.Ecp256, KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521];

    public static TheoryData<string, KeyExchangeMethod> Groups()
    {
        var data = new TheoryData<string, KeyExchangeMethod>();
        foreach (var impl in new[] { "native", "managed" })
            foreach (var method in s_groups)
                data.Add(impl, method);
        return data;
    }

    private static Kx Make(string impl, KeyExchangeMethod method, string privateHex)
    {
        var key = Convert.FromHexString(privateHex);
        return impl == "native"
            ? new NativeEcpKeyExchange(method, key)
            : new EcpKeyExchange(EcpGroup.For(method)!, key);
    }

    [Fact]
    public void NativePathIsAvailableAndChosen()
    {
        Assert.True(NativeEcpKeyExchange.IsAvailable, "libcrypto.so.3 should load on Debian 12");
        using var kx = Kx.Create(KeyExchangeMethod.Ecp256);
        Assert.IsType<NativeEcpKeyExchange>(kx);
    }

    private static Vector VectorFor(KeyExchangeMethod method) => s_vectors.Single(v => v.Method == method);

    [Theory]
    [MemberData(nameof(Groups))]
    public void Rfc5903Section8(string impl, KeyExchangeMethod method)
    {
        var v = VectorFor(method);
        using var initiator = Make(impl, method, v.I);
        using var responder = Make(impl, method, v.R);
        Assert.Equal(v.Gi, Convert.ToHexString(initiator.PublicValue));
        Assert.Equal(v.Gr, Convert.ToHexString(responder.PublicValue));
        Assert.True(initiator.TryComputeSharedSecret(Convert.FromHexString(v.Gr), out var si));
        Assert.True(responder.TryComputeSharedSecret(Convert.FromHexString(v.Gi), out var sr));
        Assert.Equal(v.Girx, Convert.ToHexString(si));
        Assert.Equal(v.Girx, Convert.ToHexString(sr));
    }

    public static TheoryData<string, string, KeyExchangeMethod> RejectedVectors()
    {
        var data = new TheoryData<string, string, KeyExchangeMethod>();
        foreach (var name in new[] { "NotOnCurve", "ZeroPoint", "XAboveModulus", "AllOnes", "SwappedCoordinates" })
            foreach (var impl in new[] { "native", "managed" })
                foreach (var method in s_groups)
                    data.Add(name, impl, method);
        return data;
    }

    // RFC 6989 §2.3: the recipient MUST check that the point is on the curve;
    // RFC 5903 §7 has no encoding for the point at infinity.
    [Theory]
    [MemberData(nameof(RejectedVectors))]
    public void Rfc6989RejectsInvalidPoints(string name, string impl, KeyExchangeMethod method)
    {
        var v = VectorFor(method);
        var good = Convert.FromHexString(v.Gr);
        var half = good.Length / 2;
        var bad = (byte[])good.Clone();
        switch (name)
        {
            case "NotOnCurve":
                bad[^1] ^= 0x01;
                break;
            case "ZeroPoint":
                Array.Clear(bad);
                break;
            case "XAboveModulus":
                // x = 2^bits - 1 > p: never a valid coordinate.
                bad.AsSpan(0, half).Fill(0xFF);
                if (method == KeyExchangeMethod.Ecp521)
                    bad[0] = 0x01;
                break;
            case "AllOnes":
                bad.AsSpan().Fill(0xFF);
                break;
            case "SwappedCoordinates":
                good.AsSpan(half).CopyTo(bad);
                good.AsSpan(0, half).CopyTo(bad.AsSpan(half));
                break;
        }
        using var kx = Make(impl, method, v.I);
        Assert.False(kx.TryComputeSharedSecret(bad, out var secret));
        Assert.Empty(secret);
        // Nothing moved: the genuine value still gives the RFC answer.
        Assert.True(kx.TryComputeSharedSecret(good, out var again));
        Assert.Equal(v.Girx, Convert.ToHexString(again));
    }
}
