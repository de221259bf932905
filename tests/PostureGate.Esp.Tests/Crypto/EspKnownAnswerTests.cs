// Whole-packet known answers for every suite: the expected ESP bytes are assembled here
// from the field layout of RFC 4303 §2 and the transform RFCs (RFC 4106 §3-§5 AES-GCM,
// RFC 7634 §2 ChaCha20-Poly1305, RFC 3602 §3 AES-CBC with RFC 2404 / RFC 4868 HMACs)
// using the BCL primitives directly, then compared with what the SA produces; the SA
// then decrypts those bytes back to the inner packet.
using System.Buffers.Binary;
using System.Security.Cryptography;
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Sad;
using PostureGate.Esp.Tests.Support;
using PostureGate.Esp.Wire;
using PostureGate.Proposals;

namespace PostureGate.Esp.Tests.Crypto;

public class EspKnownAnswerTests
{
    private const string McGrew1KeyAndSalt = "4C80CDEFBB5D10DA906AC73C3613A634" + "2E443B68";
    private const string McGrew1Packet =
        "00004321" + "00000000" + "4956ED7E3B244CFE" +
        "FECF537E729D5B07DC30DF528DD22B768D1B98736696A6FD348509FA13CEAC34" +
        "CFA2436F14A3F3CF65925BF1F4A13C5D15B21E1884F5FF6247AEABB786B93BCE" +
        "61BC17D768FD97324590" + "18148F6CBE722FD04796562DFDB4";

    private static readonly byte[] CbcIv = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.SuitesAndBackends), MemberType = typeof(OpenSslTestBackend))]
    public void SealProducesTheRfcLayout_AndOpenReversesIt(string name, string backend)
    {
        var suite = TestSuite.Get(name);
        using var sealer = Transform(suite, backend, EspTransformUse.Seal);
        using var opener = Transform(suite, backend, EspTransformUse.Open);
        AssertKnownAnswer(suite, sealer, opener, Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 37), 1, esn: false);
    }

    [Theory]
    [MemberData(nameof(TestSuite.Names), MemberType = typeof(TestSuite))]
    public void ThroughTheSa_DefaultBackend_RfcLayout(string name)
    {
        // The SA pair (header, padding, trailer written by OutboundSa) on whichever backend
        // EspTransform.Create picks by default.
        var suite = TestSuite.Get(name);
        var (outbound, inbound) = SaFactory.Pair(suite);
        FixIv(outbound.TransformForTesting);
        var inner = Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 37);

        var actual = Seal(outbound, inner);
        Assert.Equal(Convert.ToHexString(Expected(suite, inner, sequence: 1, esn: false)), Convert.ToHexString(actual));
        Assert.Equal(InboundResult.Delivered, inbound.Open(actual, 1, out var offset, out var length));
        Assert.Equal(inner, actual.AsSpan(offset, length).ToArray());
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.SuitesAndBackends), MemberType = typeof(OpenSslTestBackend))]
    public void EveryPacketStandsAlone_NoStateLeaksBetweenPackets(string name, string backend)
    {
        // The transforms are reused across packets (a persistent EVP context, or CBC chaining
        // state in the BCL one): the tenth packet must still be exactly what the RFC layout gives
        // for its sequence number.
        var suite = TestSuite.Get(name);
        using var sealer = Transform(suite, backend, EspTransformUse.Seal);
        using var opener = Transform(suite, backend, EspTransformUse.Open);
        for (ulong seq = 1; seq <= 10; seq++)
            AssertKnownAnswer(suite, sealer, opener, Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 20 + (int)seq * 13), seq, esn: false);
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.SuitesAndBackends), MemberType = typeof(OpenSslTestBackend))]
    public void EsnAuthenticatesTheHighBits(string name, string backend)
    {
        // RFC 4106 §5 / RFC 7634 §2.1: the AAD is SPI ‖ seq-high ‖ seq-low; RFC 4303 §2.2.1: the
        // HMAC covers seq-high after the packet. Only the low half travels.
        var suite = TestSuite.Get(name);
        using var sealer = Transform(suite, backend, EspTransformUse.Seal);
        using var opener = Transform(suite, backend, EspTransformUse.Open);
        var inner = Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 100);

        var actual = AssertKnownAnswer(suite, sealer, opener, inner, 0x1_0000_0004, esn: true);
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32BigEndian(actual.AsSpan(4)));

        // The receiver must supply the right high half: the wrong one, or none, fails the ICV.
        Assert.Null(OpenSslTestBackend.Open(opener, actual, 0x0_0000_0004, esn: true, inner.Length));
        Assert.Null(OpenSslTestBackend.Open(opener, actual, 0x1_0000_0004, esn: false, inner.Length));
    }

    /// <summary>
    /// draft-mcgrew-gcm-test-01 §4, Test Case 1 (AES-128-GCM in ESP with a 64-bit extended
    /// sequence number 0x87654321_00000000, SPI 0x4321, explicit IV 4956ed7e3b244cfe; the AAD is
    /// SPI ‖ seq-high ‖ seq-low as RFC 4106 §5 gives for ESN): a published packet opened by the
    /// transform. Its plaintext ends in the trailer 01 02 | 02 | 01 (next header 1).
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.Backends), MemberType = typeof(OpenSslTestBackend))]
    public void AesGcm_DraftMcGrewTestCase1(string backend)
    {
        var keyAndSalt = Convert.FromHexString(McGrew1KeyAndSalt);
        var esp = Convert.FromHexString(McGrew1Packet);
        var plaintext = Convert.FromHexString(
            "45000048699A000080114DB7C0A80102C0A801010A9BF15638D3010000010000" +
            "00000000045F736970045F756470037369700963796265726369747902646B00" +
            "0021000101020201");
        using var transform = EspTransform.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, keyAndSalt, [],
            EspTransformUse.Open, OpenSslTestBackend.Backend(backend));

        Assert.True(transform.Open(esp, 0x87654321_00000000, esn: true));
        Assert.Equal(plaintext, esp.AsSpan(16, plaintext.Length).ToArray());
        Assert.True(EspTrailer.TryRead(esp.AsSpan(16, plaintext.Length), out var dataLength, out var next));
        Assert.Equal(68, dataLength);
        Assert.Equal(1, next);
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.Backends), MemberType = typeof(OpenSslTestBackend))]
    public void AesGcm_DraftMcGrewTestCase1_Sealed_ReproducesThePacket(string backend)
    {
        // The same vector the other way: sealing its plaintext at its sequence number gives its bytes.
        var keyAndSalt = Convert.FromHexString(McGrew1KeyAndSalt);
        var published = Convert.FromHexString(McGrew1Packet);
        var esp = (byte[])published.Clone();
        using (var opener = EspTransform.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, keyAndSalt, [],
            EspTransformUse.Open, OpenSslTestBackend.Backend(backend)))
            Assert.True(opener.Open(esp, 0x87654321_00000000, esn: true));
        using var sealer = EspTransform.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, keyAndSalt, [],
            EspTransformUse.Seal, OpenSslTestBackend.Backend(backend));
        // The vector's explicit IV is not its sequence number, so it goes in through a transform
        // that writes the IV from the sequence: 4956ed7e3b244cfe as the 64-bit value.
        var iv = BinaryPrimitives.ReadUInt64BigEndian(published.AsSpan(8));
        var rebuilt = (byte[])esp.Clone();
        sealer.Seal(rebuilt, iv, esn: false);
        // Nonce and ciphertext agree; only the tag differs, since this AAD is the 8-octet form.
        Assert.Equal(Convert.ToHexString(published.AsSpan(8, published.Length - 24)), Convert.ToHexString(rebuilt.AsSpan(8, rebuilt.Length - 24)));
    }

    [SkippableTheory]
    [MemberData(nameof(OpenSslTestBackend.Backends), MemberType = typeof(OpenSslTestBackend))]
    public void AesGcm_DraftMcGrewTestCase1_WithoutEsn_AuthFailure(string backend)
    {
        var keyAndSalt = Convert.FromHexString(McGrew1KeyAndSalt);
        var esp = Convert.FromHexString(McGrew1Packet);
        using var transform = EspTransform.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, keyAndSalt, [],
            EspTransformUse.Open, OpenSslTestBackend.Backend(backend));
        // The same packet read as a 32-bit sequence number (8-octet AAD) must not verify.
        Assert.False(transform.Open(esp, 0, esn: false));
    }

    [Theory]
    [InlineData(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.HmacSha1_96, 20, 0)]  // AEAD with integrity
    [InlineData(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, 16, 0)]         // salt missing
    [InlineData(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha2_256_128, 16, 20)] // short HMAC key
    [InlineData(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.None, 16, 0)]           // CBC without integrity
    [InlineData(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha1_96, 0, 20)]
    public void UnsupportedOrMismatchedParameters_Rejected(EncryptionAlgorithm e, int bits, IntegrityAlgorithm i, int keyLength, int integLength) =>
        Assert.Throws<ArgumentException>(() => EspTransform.Create(e, bits, i, new byte[keyLength], new byte[integLength]));

    private static void FixIv(EspTransform transform) => OpenSslTestBackend.FixIv(transform, iv => CbcIv.CopyTo(iv));

    private static EspTransform Transform(TestSuite suite, string backend, EspTransformUse use)
    {
        var transform = OpenSslTestBackend.Create(suite, backend, use: use);
        FixIv(transform);
        return transform;
    }

    // Seals inner at sequence, compares with the RFC layout, opens it back; returns the packet.
    private static byte[] AssertKnownAnswer(TestSuite suite, EspTransform sealer, EspTransform opener, byte[] inner, ulong sequence, bool esn)
    {
        var actual = OpenSslTestBackend.Seal(sealer, inner, sequence, esn);
        Assert.Equal(Convert.ToHexString(Expected(suite, inner, sequence, esn)), Convert.ToHexString(actual));
        Assert.Equal(inner, OpenSslTestBackend.Open(opener, actual, sequence, esn, inner.Length));
        return actual;
    }

    internal static byte[] Seal(OutboundSa sa, byte[] inner)
    {
        var buffer = new PacketBuffer();
        buffer.SetInner(inner);
        Assert.True(sa.Seal(buffer, (byte)EspNextHeader.Ipv4));
        return buffer.Data.ToArray();
    }

    // The packet built field by field from the RFCs, with no code from the data plane.
    private static byte[] Expected(TestSuite suite, byte[] inner, ulong sequence, bool esn)
    {
        var key = suite.EncryptionKey(0x10);
        var spiSeq = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(spiSeq, SaFactory.Spi);
        BinaryPrimitives.WriteUInt32BigEndian(spiSeq.AsSpan(4), (uint)sequence);
        var seqHigh = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(seqHigh, (uint)(sequence >> 32));

        var block = suite.IsAead ? 4 : 16;
        var pad = (block - (inner.Length + 2) % block) % block;
        var plaintext = inner.Concat(Enumerable.Range(1, pad).Select(i => (byte)i)).Concat(new[] { (byte)pad, (byte)4 }).ToArray();

        if (suite.IsAead)
        {
            var iv = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(iv, sequence);
            var nonce = key[^4..].Concat(iv).ToArray();
            var aad = esn ? spiSeq[..4].Concat(seqHigh).Concat(spiSeq[4..]).ToArray() : spiSeq;
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[16];
            if (suite.Encryption == EncryptionAlgorithm.AesGcm16)
            {
                using var gcm = new AesGcm(key[..^4], 16);
                gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
            }
            else
            {
                using var chacha = new ChaCha20Poly1305(key[..^4]);
                chacha.Encrypt(nonce, plaintext, ciphertext, tag, aad);
            }
            return [.. spiSeq, .. iv, .. ciphertext, .. tag];
        }

        using var aes = Aes.Create();
        aes.Key = key;
        var cbc = aes.EncryptCbc(plaintext, CbcIv, PaddingMode.None);
        var authenticated = spiSeq.Concat(CbcIv).Concat(cbc).Concat(esn ? seqHigh : []).ToArray();
        var integrityKey = suite.IntegrityKey(0x10);
        var (mac, truncated) = suite.Integrity switch
        {
            IntegrityAlgorithm.HmacSha1_96 => (HMACSHA1.HashData(integrityKey, authenticated), 12),
            IntegrityAlgorithm.HmacSha2_256_128 => (HMACSHA256.HashData(integrityKey, authenticated), 16),
            IntegrityAlgorithm.HmacSha2_384_192 => (HMACSHA384.HashData(integrityKey, authenticated), 24),
            _ => (HMACSHA512.HashData(integrityKey, authenticated), 32),
        };
        return [.. spiSeq, .. CbcIv, .. cbc, .. mac[..truncated]];
    }
}
