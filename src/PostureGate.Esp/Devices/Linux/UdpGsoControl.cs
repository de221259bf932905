// The two UDP offload control messages (udp(7)): on send, SOL_UDP/UDP_SEGMENT carries the
// segment size as a u16 and the kernel cuts the message into datagrams of that size (the last
// may be shorter); on receive, SOL_UDP/UDP_GRO carries the size (an int) of the datagrams the
// kernel coalesced into one. Layout per <sys/socket.h> CMSG_ALIGN/CMSG_LEN/CMSG_SPACE.
namespace PostureGate.Esp.Devices.Linux;

internal static unsafe class UdpGsoControl
{
    private static readonly int HeaderLength = Align(sizeof(LibC.CmsgHdr));

    /// <summary>CMSG_SPACE(sizeof(u16)): the room one UDP_SEGMENT message takes.</summary>
    public static readonly int SegmentSpace = HeaderLength + Align(sizeof(ushort));

    /// <summary>Room for a received control buffer: UDP_GRO's int, with space to spare for any other.</summary>
    public static readonly int ReceiveSpace = 4 * (HeaderLength + Align(sizeof(int)));

    /// <summary>Writes a UDP_SEGMENT message at <paramref name="control"/>; returns its length (the msg_controllen).</summary>
    public static int WriteSegment(byte* control, ushort segmentSize)
    {
        var header = (LibC.CmsgHdr*)control;
        header->Length = (nuint)(HeaderLength + sizeof(ushort));
        header->Level = LibC.SOL_UDP;
        header->Type = LibC.UDP_SEGMENT;
        *(ushort*)(control + HeaderLength) = segmentSize;
        return SegmentSpace;
    }

    /// <summary>
    /// The gso_size of a UDP_GRO message in <paramref name="control"/>, or 0 when there is none
    /// (the datagram arrived as it was sent). A malformed header ends the walk, as CMSG_NXTHDR does.
    /// </summary>
    public static int ReadGroSize(byte* control, int length)
    {
        var offset = 0;
        while (offset + HeaderLength <= length)
        {
            var header = (LibC.CmsgHdr*)(control + offset);
            var cmsgLength = header->Length;
            if (cmsgLength < (nuint)HeaderLength || cmsgLength > (nuint)(length - offset))
                return 0;
            if (header->Level == LibC.SOL_UDP && header->Type == LibC.UDP_GRO && cmsgLength >= (nuint)(HeaderLength + sizeof(int)))
                return *(int*)(control + offset + HeaderLength);
            offset += Align((int)cmsgLength);
        }
        return 0;
    }

    private static int Align(int length) => (length + sizeof(nuint) - 1) & ~(sizeof(nuint) - 1);
}
