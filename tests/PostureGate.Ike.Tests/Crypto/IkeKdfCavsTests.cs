// NIST SP 800-135 IKEv2 KDF known answers (CAVS "KDF IKEv2", [SHA-1], DKM length 1056 bits, Child SA
// DKM length 1056 bits), the sample case reproduced in libreswan's IKEv2 CAVS driver:
// SKEYSEED (RFC 7296 §2.14), DKM = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr), DKM(Child SA) =
// prf+(SK_d, Ni | Nr) and with g^ir (new) (§2.17), SKEYSEED(Rekey) = prf(SK_d, g^ir (new) | Ni | Nr) (§2.18).
using System.Buffers.Binary;
using PostureGate.Ike.Crypto;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Crypto;

public class IkeKdfCavsTests
{
    private static readonly byte[] Gir = Convert.FromHexString("4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8be52");
    private static readonly byte[] GirNew = Convert.FromHexString("863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f9330");
    private static readonly byte[] Ni = Convert.FromHexString("32b50d5f4a3763f3");
    private static readonly byte[] Nr = Convert.FromHexString("9206a04b26564cb1");
    private static readonly ulong SpiI = BinaryPrimitives.ReadUInt64BigEndian(Convert.FromHexString("34c9e7c188868785"));
    private static readonly ulong SpiR = BinaryPrimitives.ReadUInt64BigEndian(Convert.FromHexString("3ff77d760d2b2199"));

    private const string Dkm = "a14293677cc80ff8f9cc0eee30d895da9d8f405666e30ef0dfcb63c634a46002a2a63080e514a062768b76606f9fa5e9"
        + "92204fc5a670bde3f10d6b027113936a5c55b648a194ae587b0088d52204b702c979fa280870d2ed41efa9c549fd11198af1670b143d384bd2"
        + "75c5f594cf266b05ebadca855e4249520a441a81157435a7a56cc4";
    private const string DkmChild = "8059e3ee8810e6c3a91bc8bcd2a7a41151b8d0e6ae239c7b38093ad85ef4c5811a8e7b5d1cdabd9560b2d5e092d1f24e"
        + "2d4b85eccdf0ad0dc9abd94b51ee71814ca6dbc8bb51b6309f5b9545c7eb35cf5580b1e521a8fe20754a2d883ba0c2cf285f524aea6545b331"
        + "06bc03e614296d319d41d4b50b3f510b1c0a22f3e664994d234cb4";
    private const string DkmChildDh = "bb43244c1860ad65ee1e211ffe8bb3661750c8f89cb9f547df7f4fa61d37301628190e38c66232eab4b3ab14c400a519"
        + "7dd3730ed4820a8a10394d51e1c0400052f63ebd36b0e7ef53aaed31eba4a5080d7d4b5666023a8bbb5ffb7857240f9a05884d1b7d2f93370"
        + "8450b7b3288f1fc863ab49fa901227cffc06e27899c7054d56fd74c";
    private const string SkeyseedRekey = "63e81194946ebd05df7df5ebf5d8750056bf1f1d";

    /// <summary>AES-CBC-128 / HMAC-SHA1-96 / PRF-HMAC-SHA1 needs exactly 3×20 + 2×20 + 2×16 = 132 octets: the DKM.</summary>
    private static readonly CipherSuite Sha1Suite = new("aes128-sha1", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96, PrfAlgorithm.HmacSha1);

    private static readonly Prf Sha1 = Prf.Get(PrfAlgorithm.HmacSha1);

    [Fact]
    public void Skeyseed() =>
        Assert.Equal("a9a7b222b59f8f48645f28a1db5b5f5d7479cba7", Convert.ToHexStringLower(Sha1.Compute([.. Ni, .. Nr], Gir)));

    [Fact]
    public void IkeSaKeys_ConcatenateToTheDkm()
    {
        using var keys = IkeSaKeys.Derive(Sha1Suite, Gir, Ni, Nr, SpiI, SpiR);
        Assert.Equal(132, IkeSaKeys.MaterialLength(Sha1Suite));
        byte[] all = [.. keys.SkD, .. keys.SkAi, .. keys.SkAr, .. keys.SkEi, .. keys.SkEr, .. keys.SkPi, .. keys.SkPr];
        Assert.Equal(Dkm, Convert.ToHexStringLower(all));
    }

    [Fact]
    public void ChildSaKeymat_WithoutAndWithPfs()
    {
        using var keys = IkeSaKeys.Derive(Sha1Suite, Gir, Ni, Nr, SpiI, SpiR);
        var child = new byte[132];
        Sha1.Expand(keys.SkD, [.. Ni, .. Nr], child);
        Assert.Equal(DkmChild, Convert.ToHexStringLower(child));
        Sha1.Expand(keys.SkD, [.. GirNew, .. Ni, .. Nr], child);
        Assert.Equal(DkmChildDh, Convert.ToHexStringLower(child));

        // ChildSaKeys takes a prefix of the same stream: AES-256-CBC + HMAC-SHA2-256-128 uses 2 × (32 + 32) = 128.
        var esp = new CipherSuite("aes256-sha256", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.None);
        using var pfs = keys.DeriveChildSaKeys(esp, Ni, Nr, GirNew);
        Assert.Equal(DkmChildDh[..64], Convert.ToHexStringLower(pfs.InitiatorToResponder.EncryptionKey));
        Assert.Equal(DkmChildDh[(3 * 64)..(4 * 64)], Convert.ToHexStringLower(pfs.ResponderToInitiator.IntegrityKey));
    }

    [Fact]
    public void RekeySkeyseed_AndTheRekeyedKeys()
    {
        using var keys = IkeSaKeys.Derive(Sha1Suite, Gir, Ni, Nr, SpiI, SpiR);
        var skeyseed = new byte[20];
        Sha1.Compute(keys.SkD, GirNew, Ni, Nr, skeyseed);
        Assert.Equal(SkeyseedRekey, Convert.ToHexStringLower(skeyseed));

        // §2.18 then applies §2.14's prf+ to the rekey SKEYSEED (same nonces/SPIs reused here for the check).
        using var rekeyed = keys.DeriveRekeyed(Sha1Suite, GirNew, Ni, Nr, SpiI, SpiR);
        var expected = new byte[132];
        Sha1.Expand(Convert.FromHexString(SkeyseedRekey), [.. Ni, .. Nr, .. Convert.FromHexString("34c9e7c1888687853ff77d760d2b2199")], expected);
        Assert.Equal(expected[..20], rekeyed.SkD.ToArray());
        Assert.Equal(expected[^20..], rekeyed.SkPr.ToArray());
    }
}
