// WiresharkKeyFormat: records of Wireshark's ikev2_decryption_table and esp_sa tables, field
// for field (the interop test has tshark read them; these pin the text and the edge cases).
using System.Net;
using PostureGate.Ike.Diagnostics;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Diagnostics;

public sealed class WiresharkKeyFormatTests
{
    private static readonly CipherSuite AesCbc128 = new("aes128-sha256", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_256);
    private static readonly CipherSuite AesGcm256 = new("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_384);
    private static readonly CipherSuite ChaCha = new("chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256);

    [Fact]
    public void IkeRecord_AesCbc_SpisAsSixteenHexDigits_KeysBareHex_NamesQuoted()
    {
        var line = WiresharkKeyFormat.IkeRecord(0x0102030405060708, 0xa, AesCbc128, [0xe1], [0xe2], [0xa1, 0xa2], [0xb1]);

        Assert.Equal("0102030405060708,000000000000000a,e1,e2,\"AES-CBC-128 [RFC3602]\",a1a2,b1,\"HMAC_SHA2_256_128 [RFC4868]\"", line);
    }

    [Fact]
    public void IkeRecord_AesGcm_NoIntegrityKeys_IntegrityNone()
    {
        var line = WiresharkKeyFormat.IkeRecord(1, 2, AesGcm256, [0x11, 0x22], [0x33], [], []);

        Assert.Equal("0000000000000001,0000000000000002,1122,33,\"AES-GCM-256 with 16 octet ICV [RFC5282]\",,,\"NONE [RFC4306]\"", line);
    }

    [Fact]
    public void IkeRecord_ChaCha20_WiresharkCannotDecrypt_NoRecord() =>
        Assert.Null(WiresharkKeyFormat.IkeRecord(1, 2, ChaCha, [1], [2], [], []));

    [Fact]
    public void EspRecord_AesCbc_AddressesSpiAndKeysAsWiresharkStrings()
    {
        var line = WiresharkKeyFormat.EspRecord(IPAddress.Parse("198.51.100.2"), IPAddress.Parse("198.51.100.1"), 0xc0ffee01,
            EncryptionAlgorithm.AesCbc, IntegrityAlgorithm.HmacSha2_256_128, [0xde, 0xad], [0xbe, 0xef]);

        Assert.Equal("\"IPv4\",\"198.51.100.2\",\"198.51.100.1\",\"0xc0ffee01\",\"AES-CBC [RFC3602]\",\"0xdead\",\"HMAC-SHA-256-128 [RFC4868]\",\"0xbeef\"", line);
    }

    [Fact]
    public void EspRecord_AesGcm_AuthenticationNull_UnboundLocalAddressIsWildcard()
    {
        var line = WiresharkKeyFormat.EspRecord(IPAddress.Any, IPAddress.Parse("203.0.113.9"), 7,
            EncryptionAlgorithm.AesGcm16, IntegrityAlgorithm.None, [0x01, 0x02, 0x03, 0x04, 0x05], []);

        Assert.Equal("\"IPv4\",\"*\",\"203.0.113.9\",\"0x00000007\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x0102030405\",\"NULL\",\"0x\"", line);
    }

    [Fact]
    public void EspRecord_ChaCha20_NoRecord() =>
        Assert.Null(WiresharkKeyFormat.EspRecord(IPAddress.Loopback, IPAddress.Loopback, 1, EncryptionAlgorithm.ChaCha20Poly1305, IntegrityAlgorithm.None, [1], []));
}
