// The parameters of one ESP SA as IKEv2 negotiates them (RFC 7296 §2.17 keys, §3.3
// transforms, RFC 4303 §2.2.1 ESN) and as FortiOS phase2-interface configures them
// (`replay`, `keylifeseconds`, `keylifekbs`).
using System.Net;
using PostureGate.Proposals;

namespace PostureGate.Esp;

/// <summary>
/// One direction of a CHILD_SA. The data plane takes ownership of the key arrays and zeroes
/// them when the SA is deleted.
/// </summary>
/// <param name="Spi">The SPI carried in this SA's packets (for an inbound SA, the one we chose).</param>
/// <param name="EncryptionKey">Key material; for AEAD ciphers the 4-octet salt follows the key (RFC 4106 §8.1, RFC 7634 §2).</param>
/// <param name="IntegrityKey">Empty for AEAD ciphers.</param>
/// <param name="ReplayWindow">Anti-replay window in packets (RFC 4303 §3.4.3); 0 disables it. Inbound only.</param>
/// <param name="Peer">The peer's UDP endpoint after NAT (RFC 3948): where outbound packets go.</param>
/// <param name="InnerSources">Inbound only: the inner source addresses the peer may use (its traffic selector, normally its virtual IP).</param>
public sealed record EspSaConfig(
    uint Spi,
    EncryptionAlgorithm Encryption,
    int KeyBits,
    IntegrityAlgorithm Integrity,
    byte[] EncryptionKey,
    byte[] IntegrityKey,
    bool Esn,
    int ReplayWindow,
    IPEndPoint Peer,
    IReadOnlyList<(IPAddress Start, IPAddress End)> InnerSources,
    SaLifetime Lifetime)
{
    /// <summary>FortiOS phase2 `replay enable` with the Linux/strongSwan default width.</summary>
    public const int DefaultReplayWindow = 1024;
}

/// <summary>
/// RFC 4301 §4.4.2.1 soft and hard lifetimes. Zero means no limit. Reaching a soft limit asks
/// the IKE layer to rekey; reaching a hard limit stops the SA and asks it to delete the SA.
/// </summary>
public readonly record struct SaLifetime(
    ulong SoftBytes, ulong HardBytes,
    ulong SoftPackets, ulong HardPackets,
    TimeSpan SoftTime, TimeSpan HardTime)
{
    public static SaLifetime Unlimited => default;

    /// <summary>A time-only lifetime, as `set keylifeseconds` gives; the soft limit is a fraction ahead of the hard one.</summary>
    public static SaLifetime FromSeconds(int hardSeconds, double softFraction = 0.9) =>
        new(0, 0, 0, 0, TimeSpan.FromSeconds(hardSeconds * softFraction), TimeSpan.FromSeconds(hardSeconds));
}
