// RFC 4303 §3.3 "Outbound Packet Processing" for one SA: §3.3.3 sequence number
// generation (no cycling: the SA expires first), §2.4 padding, §3.3.2 encryption and
// ICV, built in place around the inner packet using the buffer's headroom and tailroom.
using System.Net;
using PostureGate.Esp.Wire;

using PostureGate.Esp.Crypto;

namespace PostureGate.Esp.Sad;

internal sealed class OutboundSa : EspSa
{
    // RFC 4303 §3.3.3: a 32-bit counter must not wrap. Ask for a rekey with 2^24 packets to spare.
    private const ulong SoftSequenceLimit32 = uint.MaxValue - (1u << 24);
    private const ulong SoftSequenceLimit64 = ulong.MaxValue - (1UL << 32);

    private ulong _sequence;
    private volatile IPEndPoint _peer;

    public OutboundSa(EspSaConfig config, uint inboundSpi, Tunnel tunnel, long installedAt, Action<EspSaExpire> expired,
        EspCryptoBackend backend = EspCryptoBackend.Auto)
        : base(config, tunnel, installedAt, expired, backend)
    {
        _peer = config.Peer;
        ChildSaInboundSpi = inboundSpi;
    }

    public override bool Inbound => false;

    public override uint ChildSaInboundSpi { get; }

    public IPEndPoint Peer
    {
        get => _peer;
        set => _peer = value;
    }

    /// <summary>Sets the next sequence number (tests of counter exhaustion).</summary>
    internal void SetSequenceForTesting(ulong last)
    {
        lock (Sync)
            _sequence = last;
    }

    /// <summary>Room an ESP packet needs around an inner packet of <paramref name="innerLength"/> octets.</summary>
    public (int Headroom, int Tailroom) Room(int innerLength) =>
        (Transform.HeaderLength, EspTrailer.PaddingLength(innerLength, Transform.PadBlockSize) + EspTrailer.FixedLength + Transform.IcvLength);

    /// <summary>
    /// Encapsulates the inner packet in <paramref name="packet"/> (at its Offset/Length) into an ESP
    /// packet in the same buffer and sets the destination. False when the SA is dead or the buffer
    /// lacks room; then the buffer is unchanged.
    /// </summary>
    public bool Seal(Devices.PacketBuffer packet, byte nextHeader)
    {
        var innerLength = packet.Length;
        var (headroom, tailroom) = Room(innerLength);
        var start = packet.Offset - headroom;
        var end = packet.Offset + innerLength + tailroom;
        lock (Sync)
        {
            if (Dead)
            {
                ExpiredDrops++;
                return false;
            }
            if (start < 0 || end > packet.Array.Length)
            {
                MalformedDrops++;
                return false;
            }
            var sequence = _sequence + 1;
            if (sequence == 0 || (!Esn && sequence > uint.MaxValue))
            {
                Expire(hard: true, LifetimeLimit.SequenceNumber);
                ExpiredDrops++;
                return false;
            }
            _sequence = sequence;
            if (sequence >= (Esn ? SoftSequenceLimit64 : SoftSequenceLimit32))
                Expire(hard: false, LifetimeLimit.SequenceNumber);

            var esp = packet.Array.AsSpan(start, end - start);
            new EspHeader(Spi, (uint)sequence).Write(esp);
            var padLength = tailroom - EspTrailer.FixedLength - Transform.IcvLength;
            EspTrailer.Write(esp[(headroom + innerLength)..], padLength, nextHeader);
            Transform.Seal(esp, sequence, Esn);
            Account(innerLength);
        }
        packet.Offset = start;
        packet.Length = end - start;
        packet.Destination = _peer;
        return true;
    }
}
