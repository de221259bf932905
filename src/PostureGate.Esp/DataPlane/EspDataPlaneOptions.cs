// The options of one userspace ESP data plane (EspDataPlane): batching, threads, interrupt
// moderation, crypto library, firewall hook and the RFC 3948 §2.2 IKE hand-off.
using PostureGate.Esp.Crypto;

namespace PostureGate.Esp;

/// <summary>
/// How one data plane runs. Plain values: the composition roots fill them from the command line
/// and, for the PG_* variables of docs/operations.md, the environment (<see cref="DataPlaneTuning"/>).
/// </summary>
public sealed record EspDataPlaneOptions
{
    /// <summary>Packets moved per device call (wireguard-go's IdealBatchSize is 128; 64 keeps a batch in L2).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Bytes per packet buffer; the largest datagram or inner packet plus headroom and tailroom.</summary>
    public int BufferCapacity { get; init; } = Devices.PacketBuffer.DefaultCapacity;

    /// <summary>
    /// Batches in flight between the two stages of each direction (device read + ESP, then device
    /// write), each stage on its own thread so that crypto overlaps the system calls. 0 (the
    /// default) runs both stages on one thread per direction: with TUN and UDP offloads a batch
    /// costs a few system calls, and on this 2-core machine the hand-over between stage threads
    /// (futex wake-ups, the waiting side's spinning) cost more CPU per Mbit/s than it saved
    /// (bench/README.md).
    /// </summary>
    public int PipelineDepth { get; init; }

    /// <summary>
    /// Interrupt moderation (what `ethtool -C rx-usecs` does for a NIC): after a batch smaller than a
    /// quarter of <see cref="BatchSize"/>, a loop pauses this long before its next read, so that under
    /// load each wake-up (system calls, a context switch: the dominant cost per batch here) moves
    /// several packets. A lone packet is never delayed: it is handled at once, only the next read
    /// waits. Zero turns it off. Measured behind a strongSwan client (one ESP packet per datagram),
    /// gateway CPU per Mbit/s: 100 µs about halved it against none, 300 µs took another 15-20 % off
    /// (paired runs, AES-CBC/SHA-256), 600 µs no more; a pgate client's tunnel (offloaded, full
    /// batches) was as fast with any of them (bench/README.md).
    /// </summary>
    public TimeSpan Moderation { get; init; } = DefaultModeration;

    public static readonly TimeSpan DefaultModeration = TimeSpan.FromMicroseconds(300);

    /// <summary>Which library seals and opens the SAs installed in this data plane.</summary>
    public EspCryptoBackend Crypto { get; init; } = EspCryptoBackend.Auto;

    /// <summary>The firewall hook; every packet passes when none is set.</summary>
    public IInnerPacketPolicy Policy { get; init; } = AllowAllPolicy.Instance;

    /// <summary>Where IKE datagrams (RFC 3948 §2.2) received on the shared socket go.</summary>
    public NatTIkeHandler? IkeReceived { get; init; }

    /// <summary>How often the time lifetimes of SAs are checked.</summary>
    public TimeSpan LifetimeCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Drops and control datagrams that belong to no SA.</summary>
public readonly record struct EspDataPlaneCounters(
    ulong UnknownSpi, ulong InvalidDatagrams, ulong IkeDatagrams, ulong NatKeepalives,
    ulong NoRoute, ulong OutboundDrops);

/// <summary>
/// Device reads per direction and the packets they returned: rx reads datagrams from the UDP socket
/// (recvmmsg), tx reads inner packets from the TUN device. Packets / batches is the mean batch size.
/// </summary>
public readonly record struct EspBatchCounters(ulong RxBatches, ulong RxPackets, ulong TxBatches, ulong TxPackets);
