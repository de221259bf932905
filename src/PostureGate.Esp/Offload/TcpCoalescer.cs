// Generic receive offload for the TUN write path (the idea of Linux's tcp_gro_receive and
// wireguard-go's tun GRO): consecutive in-order segments of one TCP flow in a batch become
// one GSO packet, written to a TUN device opened with IFF_VNET_HDR as a single write. The
// kernel then forwards and delivers it as one skb (segmenting only if an egress device
// needs it), so a batch of 64 full-sized segments costs one trip through the stack, not 64.
//
// Rules, so that what leaves the kernel equals what went in:
//  - only plain segments merge (IPv4 without options, not a fragment, ACK set, no SYN, FIN,
//    RST, URG, ECE or CWR, payload present); everything else is written as it is;
//  - the IP TOS and TTL, DF, the TCP header length, options, acknowledgment number and
//    window must equal the first segment's, and each sequence number must continue the last;
//  - every segment but the last carries exactly the first one's payload length (the GSO
//    size), and a shorter or PSH segment ends the unit;
//  - per-flow order is kept: a segment joins only its flow's newest unit, and a packet of
//    that flow that cannot join closes it, so later units of the flow are written later.
// Segment checksums are not re-verified: ESP's ICV already proved the packets are as their
// sender built them, and the kernel computes the merged packet's checksum (NEEDS_CSUM).
using System.Buffers.Binary;
using PostureGate.Esp.Devices;

namespace PostureGate.Esp.Offload;

public sealed class TcpCoalescer
{
    /// <summary>Segments per GSO packet, which bounds the iovecs of one write.</summary>
    public const int MaxSegments = 64;

    /// <summary>How many of the newest units are searched for a packet's flow.</summary>
    private const int FlowSearchDepth = 8;

    private const int MaxIpLength = ushort.MaxValue;

    private readonly Unit[] _units;
    private readonly int[] _next;

    public TcpCoalescer(int batchCapacity)
    {
        _units = new Unit[batchCapacity];
        _next = new int[batchCapacity];
    }

    /// <summary>One write: a packet alone, or a TCP segment and the segments that continue it.</summary>
    public struct Unit
    {
        public int Head;
        public int Last;
        public int Count;
        public int GsoSize;
        public int HeadersLength;
        public int TotalLength;
        public uint NextSequence;
        public bool Open;
        public bool Push;
        public bool Sealed;
    }

    /// <summary>
    /// Groups <paramref name="packets"/> into units, in the order they are to be written; returns how many.
    /// With <paramref name="merge"/> false every packet is its own unit.
    /// </summary>
    public int Plan(ReadOnlySpan<PacketBuffer> packets, bool merge = true)
    {
        if (packets.Length > _units.Length)
            throw new ArgumentException($"a batch holds at most {_units.Length} packets", nameof(packets));
        var count = 0;
        for (var i = 0; i < packets.Length; i++)
        {
            _next[i] = -1;
            var data = (ReadOnlySpan<byte>)packets[i].Data;
            if (merge && TcpIpv4Header.TryRead(data, out var segment))
            {
                var mergeable = IsMergeable(segment, data.Length);
                var u = FindFlow(packets, count, segment);
                if (u >= 0 && _units[u].Open)
                {
                    if (mergeable && TryAppend(ref _units[u], packets, i, segment))
                        continue;
                    _units[u].Open = false;
                }
                _units[count++] = NewUnit(i, segment, mergeable);
                continue;
            }
            _units[count++] = new Unit { Head = i, Last = i, Count = 1 };
        }
        return count;
    }

    /// <summary>The units <see cref="Plan"/> made.</summary>
    public ref Unit this[int index] => ref _units[index];

    /// <summary>The packet after <paramref name="index"/> in its unit, or -1.</summary>
    public int NextMember(int index) => _next[index];

    /// <summary>
    /// Prepares a unit for writing: <paramref name="virtioHeader"/> receives its virtio_net_hdr, and a
    /// merged unit's first packet becomes the header of the GSO packet (total length, IP checksum,
    /// PSH, and the TCP checksum field seeded with the pseudo-header sum for the kernel to finish).
    /// The payloads of the other members follow it in the write.
    /// </summary>
    public void Seal(ref Unit unit, ReadOnlySpan<PacketBuffer> packets, Span<byte> virtioHeader)
    {
        if (unit.Count == 1)
        {
            default(VirtioNetHeader).Write(virtioHeader);
            return;
        }
        var head = packets[unit.Head].Data;
        BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)unit.TotalLength);
        InternetChecksum.SetIpv4HeaderChecksum(head[..TcpIpv4Header.Ipv4Length]);
        if (unit.Push)
            head[TcpIpv4Header.Ipv4Length + 13] |= TcpIpv4Header.Psh;
        var pseudo = InternetChecksum.PseudoHeaderSum(head.Slice(12, 8), 6, unit.TotalLength - TcpIpv4Header.Ipv4Length);
        BinaryPrimitives.WriteUInt16BigEndian(head[(TcpIpv4Header.Ipv4Length + TcpIpv4Header.TcpChecksumOffset)..], InternetChecksum.Fold(pseudo));
        new VirtioNetHeader
        {
            Flags = VirtioNetHeader.FlagNeedsCsum,
            GsoTypeAndEcn = (byte)VirtioGsoType.TcpV4,
            HeaderLength = (ushort)unit.HeadersLength,
            GsoSize = (ushort)unit.GsoSize,
            CsumStart = TcpIpv4Header.Ipv4Length,
            CsumOffset = TcpIpv4Header.TcpChecksumOffset,
        }.Write(virtioHeader);
        unit.Sealed = true;
    }

    /// <summary>
    /// Undoes <see cref="Seal"/> on the first packet, leaving it a complete packet of its own with a
    /// full checksum, for when the device refuses the GSO write and the members go one by one.
    /// </summary>
    public static void Unseal(ref Unit unit, ReadOnlySpan<PacketBuffer> packets)
    {
        if (!unit.Sealed)
            return;
        var head = packets[unit.Head].Data;
        // The head's own payload is the GSO size (only the last member may be shorter).
        var tcpLength = unit.HeadersLength - TcpIpv4Header.Ipv4Length + unit.GsoSize;
        if (unit.Push)
            head[TcpIpv4Header.Ipv4Length + 13] &= unchecked((byte)~TcpIpv4Header.Psh); // a PSH head never merges: it was ours
        BinaryPrimitives.WriteUInt16BigEndian(head[2..], (ushort)(TcpIpv4Header.Ipv4Length + tcpLength));
        InternetChecksum.SetIpv4HeaderChecksum(head[..TcpIpv4Header.Ipv4Length]);
        var tcp = head.Slice(TcpIpv4Header.Ipv4Length, tcpLength);
        tcp[16] = 0;
        tcp[17] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Compute(tcp, InternetChecksum.PseudoHeaderSum(head.Slice(12, 8), 6, tcpLength)));
        unit.Sealed = false;
    }

    private static bool IsMergeable(in TcpIpv4Header segment, int length)
    {
        const byte disqualifying = TcpIpv4Header.Syn | TcpIpv4Header.Fin | TcpIpv4Header.Rst
            | TcpIpv4Header.Urg | TcpIpv4Header.Ece | TcpIpv4Header.Cwr;
        var flags = segment.Flags;
        return (flags & TcpIpv4Header.Ack) != 0 && (flags & disqualifying) == 0
            && segment.PayloadLength > 0 && segment.TotalLength == length;
    }

    private static Unit NewUnit(int index, in TcpIpv4Header segment, bool mergeable) => new()
    {
        Head = index,
        Last = index,
        Count = 1,
        GsoSize = segment.PayloadLength,
        HeadersLength = segment.HeadersLength,
        TotalLength = segment.TotalLength,
        NextSequence = unchecked(segment.Sequence + (uint)segment.PayloadLength),
        Open = mergeable && (segment.Flags & TcpIpv4Header.Psh) == 0,
    };

    // The newest unit among the last few whose first packet is of the same flow, or -1.
    private int FindFlow(ReadOnlySpan<PacketBuffer> packets, int count, in TcpIpv4Header segment)
    {
        for (var u = count - 1; u >= 0 && u >= count - FlowSearchDepth; u--)
        {
            var head = (ReadOnlySpan<byte>)packets[_units[u].Head].Data;
            if (head.Length >= 24 && head[0] == 0x45 && head[9] == 6
                && head.Slice(12, 8).SequenceEqual(segment.Addresses)
                && head.Slice(TcpIpv4Header.Ipv4Length, 4).SequenceEqual(segment.Ports))
                return u;
        }
        return -1;
    }

    private bool TryAppend(ref Unit unit, ReadOnlySpan<PacketBuffer> packets, int index, in TcpIpv4Header segment)
    {
        if (unit.Count >= MaxSegments || segment.Sequence != unit.NextSequence
            || segment.PayloadLength > unit.GsoSize || unit.TotalLength + segment.PayloadLength > MaxIpLength)
            return false;
        TcpIpv4Header.TryRead(packets[unit.Head].Data, out var first);
        if (segment.Tos != first.Tos || segment.Ttl != first.Ttl || segment.FragmentWord != first.FragmentWord
            || segment.TcpLength != first.TcpLength || segment.Acknowledgment != first.Acknowledgment
            || segment.Window != first.Window || !segment.Options.SequenceEqual(first.Options))
            return false;
        _next[unit.Last] = index;
        unit.Last = index;
        unit.Count++;
        unit.TotalLength += segment.PayloadLength;
        unit.NextSequence = unchecked(unit.NextSequence + (uint)segment.PayloadLength);
        if (segment.PayloadLength < unit.GsoSize || (segment.Flags & TcpIpv4Header.Psh) != 0)
        {
            unit.Open = false;
            unit.Push = (segment.Flags & TcpIpv4Header.Psh) != 0;
        }
        return true;
    }
}
