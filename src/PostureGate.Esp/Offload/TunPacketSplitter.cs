// The read side of TUN offloads: a device opened with IFF_VNET_HDR and TUNSETOFFLOAD
// (TUN_F_CSUM | TUN_F_TSO4) may hand over a TCP super-packet of up to 64 KiB for the
// data plane to segment (GSO, Documentation/networking/segmentation-offloads.rst), or a
// packet whose transport checksum it left unfinished (NEEDS_CSUM). One read of a 64 KiB
// packet replaces ~45 reads, and the checksums are computed here in one pass anyway.
// Each segment is built as the kernel's tcp_gso_segment would: headers copied, IP total
// length, identification (+1 per segment) and header checksum, sequence number advanced by
// the GSO size, PSH and FIN only on the last segment, CWR only on the first, and a full
// TCP checksum (RFC 9293 §3.1).
using System.Buffers.Binary;
using PostureGate.Esp.Devices;

namespace PostureGate.Esp.Offload;

public sealed class TunPacketSplitter
{
    /// <summary>The virtio header plus the largest GSO packet (64 KiB) and slack.</summary>
    public const int FrameCapacity = VirtioNetHeader.Size + 65536 + 256;

    private int _frameLength;
    private int _nextSegment;
    private int _segmentCount;
    private VirtioNetHeader _header;
    private long _dropped;
    private long _split;

    public TunPacketSplitter()
    {
        Frame = GC.AllocateArray<byte>(FrameCapacity, pinned: true);
    }

    /// <summary>Where the device reads one frame (virtio header + packet); pinned.</summary>
    public byte[] Frame { get; }

    /// <summary>Whether segments of the last accepted frame are still to be drained.</summary>
    public bool HasPending => _nextSegment < _segmentCount;

    /// <summary>TCP super-packets accepted for splitting.</summary>
    public long SplitFrames => Interlocked.Read(ref _split);

    /// <summary>Frames dropped as malformed or of a kind not negotiated.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Takes the frame of <paramref name="length"/> octets now in <see cref="Frame"/>; false (and counted) when it is dropped.</summary>
    public bool Accept(int length)
    {
        _nextSegment = _segmentCount = 0;
        if (length <= VirtioNetHeader.Size)
            return Drop();
        _header = VirtioNetHeader.Read(Frame);
        _frameLength = length;
        var packet = Packet;
        switch (_header.GsoType)
        {
            case VirtioGsoType.None:
                if (_header.NeedsCsum && _header.CsumStart + _header.CsumOffset + 2 > packet.Length)
                    return Drop();
                _segmentCount = 1;
                return true;
            case VirtioGsoType.TcpV4:
                if (!TcpIpv4Header.TryRead(packet, out var segment) || _header.GsoSize == 0 || segment.PayloadLength == 0)
                    return Drop();
                _segmentCount = (segment.PayloadLength + _header.GsoSize - 1) / _header.GsoSize;
                Interlocked.Increment(ref _split);
                return true;
            default:
                // TCPv6 and UDP segmentation are not offered to the kernel, so never expected.
                return Drop();
        }
    }

    /// <summary>
    /// Writes the next segments of the accepted frame into <paramref name="buffers"/>, each at its
    /// Offset, setting Length; returns how many. Segments that do not fit a buffer are dropped.
    /// </summary>
    public int Drain(Span<PacketBuffer> buffers)
    {
        if (!HasPending)
            return 0;
        var filled = 0;
        var packet = Packet;
        while (HasPending && filled < buffers.Length)
        {
            var buffer = buffers[filled];
            var room = buffer.Array.AsSpan(buffer.Offset, buffer.Array.Length - buffer.Offset - PacketBuffer.Tailroom);
            var written = _header.GsoType == VirtioGsoType.None
                ? CopyWhole(packet, room)
                : BuildSegment(packet, _nextSegment, room);
            _nextSegment++;
            if (written <= 0)
            {
                Drop();
                continue;
            }
            buffer.Length = written;
            filled++;
        }
        return filled;
    }

    private ReadOnlySpan<byte> Packet => Frame.AsSpan(VirtioNetHeader.Size, _frameLength - VirtioNetHeader.Size);

    private int CopyWhole(ReadOnlySpan<byte> packet, Span<byte> room)
    {
        if (packet.Length > room.Length)
            return 0;
        packet.CopyTo(room);
        if (_header.NeedsCsum)
        {
            // The field holds the pseudo-header sum; summing from CsumStart includes it (virtio §5.1.6.2).
            var covered = room[_header.CsumStart..packet.Length];
            var field = covered[_header.CsumOffset..];
            BinaryPrimitives.WriteUInt16BigEndian(field, InternetChecksum.Compute(covered));
        }
        return packet.Length;
    }

    private int BuildSegment(ReadOnlySpan<byte> packet, int index, Span<byte> room)
    {
        TcpIpv4Header.TryRead(packet, out var super);
        var headers = super.HeadersLength;
        var gso = _header.GsoSize;
        var start = index * gso;
        var size = Math.Min(gso, super.PayloadLength - start);
        var length = headers + size;
        if (length > room.Length)
            return 0;
        packet[..headers].CopyTo(room);
        super.Payload.Slice(start, size).CopyTo(room[headers..]);

        var ip = room[..TcpIpv4Header.Ipv4Length];
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], unchecked((ushort)(super.Identification + index)));
        InternetChecksum.SetIpv4HeaderChecksum(ip);

        var tcp = room[TcpIpv4Header.Ipv4Length..length];
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], unchecked(super.Sequence + (uint)start));
        var flags = super.Flags;
        if (index != _segmentCount - 1)
            flags &= unchecked((byte)~(TcpIpv4Header.Psh | TcpIpv4Header.Fin));
        if (index != 0)
            flags &= unchecked((byte)~TcpIpv4Header.Cwr);
        tcp[13] = flags;
        tcp[16] = 0;
        tcp[17] = 0;
        var pseudo = InternetChecksum.PseudoHeaderSum(ip.Slice(12, 8), 6, tcp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Compute(tcp, pseudo));
        return length;
    }

    private bool Drop()
    {
        Interlocked.Increment(ref _dropped);
        _nextSegment = _segmentCount = 0;
        return false;
    }
}
