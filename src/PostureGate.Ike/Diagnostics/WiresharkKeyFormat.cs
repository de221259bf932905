// Lines of Wireshark's two IPsec key tables (its "UAT" files, one record per line, strings
// quoted, byte fields bare hex): `ikev2_decryption_table` (the ISAKMP dissector's IKEv2 SA
// table: SPIi, SPIr, SK_ei, SK_er, encryption, SK_ai, SK_ar, integrity; RFC 7296 §2.14 keys)
// and `esp_sa` (the ESP dissector's SA table: protocol, source, destination, SPI, encryption,
// key, authentication, key; RFC 4303). The algorithm names are Wireshark's own choice strings;
// a transform Wireshark cannot decrypt yields no line (null).
using System.Globalization;
using System.Net;
using PostureGate.Proposals;

namespace PostureGate.Ike.Diagnostics;

public static class WiresharkKeyFormat
{
    public const string IkeTableFile = "ikev2_decryption_table";
    public const string EspTableFile = "esp_sa";

    /// <summary>One `ikev2_decryption_table` record; SK_e includes the AEAD salt (RFC 5282 §7.1), as Wireshark expects.</summary>
    public static string? IkeRecord(ulong spiI, ulong spiR, CipherSuite suite,
        ReadOnlySpan<byte> skEi, ReadOnlySpan<byte> skEr, ReadOnlySpan<byte> skAi, ReadOnlySpan<byte> skAr)
    {
        if (IkeEncryptionName(suite) is not { } enc || IkeIntegrityName(suite) is not { } integ)
            return null;
        var i = CultureInfo.InvariantCulture;
        return string.Create(i, $"{spiI:x16},{spiR:x16},{Hex(skEi)},{Hex(skEr)},\"{enc}\",{Hex(skAi)},{Hex(skAr)},\"{integ}\"");
    }

    /// <summary>One IKE SA's `ikev2_decryption_table` record.</summary>
    public static string? IkeRecord(ulong spiI, ulong spiR, Crypto.IkeSaKeys keys) =>
        IkeRecord(spiI, spiR, keys.Suite, keys.SkEi, keys.SkEr, keys.SkAi, keys.SkAr);

    /// <summary>A CHILD_SA's two `esp_sa` records: inbound (peer to us, its inbound SPI), then outbound.</summary>
    public static (string? Inbound, string? Outbound) EspRecords(global::PostureGate.Kernel.ChildSaInstallation sa)
    {
        var local = sa.LocalEndpoint.Address;
        var peer = sa.PeerEndpoint.Address;
        return (EspRecord(peer, local, sa.InboundSpi, sa.Encryption, sa.Integrity, sa.InboundKeys.Encryption, sa.InboundKeys.Integrity),
            EspRecord(local, peer, sa.OutboundSpi, sa.Encryption, sa.Integrity, sa.OutboundKeys.Encryption, sa.OutboundKeys.Integrity));
    }

    /// <summary>One `esp_sa` record for packets from <paramref name="source"/> to <paramref name="destination"/> with this SPI.</summary>
    public static string? EspRecord(IPAddress source, IPAddress destination, uint spi, EncryptionAlgorithm encryption,
        IntegrityAlgorithm integrity, ReadOnlySpan<byte> encryptionKeyWithSalt, ReadOnlySpan<byte> integrityKey)
    {
        if (EspEncryptionName(encryption) is not { } enc || EspAuthenticationName(encryption, integrity) is not { } auth)
            return null;
        var family = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        var i = CultureInfo.InvariantCulture;
        return string.Create(i,
            $"\"{family}\",\"{Address(source)}\",\"{Address(destination)}\",\"0x{spi:x8}\",\"{enc}\",\"0x{Hex(encryptionKeyWithSalt)}\",\"{auth}\",\"0x{Hex(integrityKey)}\"");
    }

    // An unspecified address (a socket bound to any) matches any address in Wireshark's table.
    private static string Address(IPAddress a) => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any) ? "*" : a.ToString();

    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);

    private static string? IkeEncryptionName(CipherSuite s) => s.Encryption switch
    {
        EncryptionAlgorithm.AesCbc => $"AES-CBC-{s.KeyBits} [RFC3602]",
        EncryptionAlgorithm.AesGcm16 => $"AES-GCM-{s.KeyBits} with 16 octet ICV [RFC5282]",
        _ => null, // ChaCha20-Poly1305 (RFC 7634) is not in Wireshark 4.0's IKEv2 table
    };

    private static string? IkeIntegrityName(CipherSuite s) => s.IsAead ? "NONE [RFC4306]" : s.Integrity switch
    {
        IntegrityAlgorithm.HmacSha1_96 => "HMAC_SHA1_96 [RFC2404]",
        IntegrityAlgorithm.HmacSha2_256_128 => "HMAC_SHA2_256_128 [RFC4868]",
        IntegrityAlgorithm.HmacSha2_384_192 => "HMAC_SHA2_384_192 [RFC4868]",
        IntegrityAlgorithm.HmacSha2_512_256 => "HMAC_SHA2_512_256 [RFC4868]",
        _ => null,
    };

    private static string? EspEncryptionName(EncryptionAlgorithm e) => e switch
    {
        EncryptionAlgorithm.Null => "NULL",
        EncryptionAlgorithm.AesCbc => "AES-CBC [RFC3602]",
        EncryptionAlgorithm.AesGcm16 => "AES-GCM with 16 octet ICV [RFC4106]",
        _ => null,
    };

    private static string? EspAuthenticationName(EncryptionAlgorithm e, IntegrityAlgorithm a) =>
        e == EncryptionAlgorithm.AesGcm16 ? "NULL" : a switch
        {
            IntegrityAlgorithm.None => "NULL",
            IntegrityAlgorithm.HmacSha1_96 => "HMAC-SHA-1-96 [RFC2404]",
            IntegrityAlgorithm.HmacSha2_256_128 => "HMAC-SHA-256-128 [RFC4868]",
            IntegrityAlgorithm.HmacSha2_384_192 => "HMAC-SHA-384-192 [RFC4868]",
            IntegrityAlgorithm.HmacSha2_512_256 => "HMAC-SHA-512-256 [RFC4868]",
            _ => null,
        };
}
