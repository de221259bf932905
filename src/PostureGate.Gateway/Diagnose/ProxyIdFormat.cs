// A CHILD_SA as `diagnose vpn tunnel list` shows it under `proxyid=` (FortiOS 7.4, the seed
// document): selectors as "proto:start-end:port", FortiOS's algorithm words, lifetimes, counters.
using PostureGate.Ike.Kernel;
using PostureGate.Kernel;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Gateway.Diagnose;

public static class ProxyIdFormat
{
    /// <summary>The view of <paramref name="c"/> with the data plane's packet and byte counts.</summary>
    public static ProxyIdView Of(ChildSaInstallation c, long inPackets, long inBytes, long outPackets, long outBytes) => new(
        Name: c.ChildName,
        Source: Selectors(c.LocalSelectors),
        Destination: Selectors(c.RemoteSelectors),
        InboundSpi: c.InboundSpi,
        OutboundSpi: c.OutboundSpi,
        Encryption: EncryptionName(c.Encryption),
        KeyBytes: c.EncryptionKeyBits / 8,
        Integrity: IntegrityName(c.Integrity),
        ReplayWindow: c.ReplayWindow,
        LifetimeSeconds: (long)c.HardLifetime.TotalSeconds,
        ExpiresInSeconds: (long)c.SoftLifetime.TotalSeconds,
        InboundPackets: inPackets, InboundBytes: inBytes, OutboundPackets: outPackets, OutboundBytes: outBytes);

    /// <summary>"proto:start-end:port" per range; no ranges is everything.</summary>
    public static string Selectors(IReadOnlyList<SelectorRange> s) => s.Count == 0 ? "0:0.0.0.0-255.255.255.255:0" :
        string.Join(" ", s.Select(r => $"{r.Protocol}:{Ipv4.ToAddress(r.StartAddress)}-{Ipv4.ToAddress(r.EndAddress)}:{(r.Protocol == 0 ? 0 : r.StartPort)}"));

    public static string EncryptionName(EncryptionAlgorithm e) => e switch
    {
        EncryptionAlgorithm.AesGcm16 => "aes-gcm",
        EncryptionAlgorithm.AesCbc => "aes",
        EncryptionAlgorithm.ChaCha20Poly1305 => "chacha20poly1305",
        _ => e.ToString().ToLowerInvariant(),
    };

    public static string IntegrityName(IntegrityAlgorithm i) => i switch
    {
        IntegrityAlgorithm.HmacSha1_96 => "sha1",
        IntegrityAlgorithm.HmacSha2_256_128 => "sha256",
        IntegrityAlgorithm.HmacSha2_384_192 => "sha384",
        IntegrityAlgorithm.HmacSha2_512_256 => "sha512",
        _ => "null",
    };
}
