// struct virtio_net_hdr (Virtio 1.x §5.1.6, <linux/virtio_net.h>): the 10 octets in front of
// every packet a TUN device opened with IFF_VNET_HDR reads or writes. They carry the
// offloads: a packet the kernel left to be segmented (GSO) or whose checksum it left to us
// (NEEDS_CSUM), and the same for packets we hand it. Legacy TUN headers are in host order.
using System.Buffers.Binary;

namespace PostureGate.Esp.Offload;

public enum VirtioGsoType : byte
{
    None = 0,
    TcpV4 = 1,
    Udp = 3,
    TcpV6 = 4,
    UdpL4 = 5,
}

public struct VirtioNetHeader
{
    public const int Size = 10;

    /// <summary>The checksum from CsumStart to the end is to be computed and stored at CsumStart + CsumOffset.</summary>
    public const byte FlagNeedsCsum = 1;

    /// <summary>The ECN bit of gso_type: segments keep the CWR flag (TUN_F_TSO_ECN).</summary>
    public const byte GsoEcn = 0x80;

    public byte Flags;
    public byte GsoTypeAndEcn;
    public ushort HeaderLength;
    public ushort GsoSize;
    public ushort CsumStart;
    public ushort CsumOffset;

    public readonly VirtioGsoType GsoType => (VirtioGsoType)(GsoTypeAndEcn & ~GsoEcn);

    public readonly bool NeedsCsum => (Flags & FlagNeedsCsum) != 0;

    public static VirtioNetHeader Read(ReadOnlySpan<byte> source) => new()
    {
        Flags = source[0],
        GsoTypeAndEcn = source[1],
        HeaderLength = BinaryPrimitives.ReadUInt16LittleEndian(source[2..]),
        GsoSize = BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
        CsumStart = BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
        CsumOffset = BinaryPrimitives.ReadUInt16LittleEndian(source[8..]),
    };

    public readonly void Write(Span<byte> destination)
    {
        destination[0] = Flags;
        destination[1] = GsoTypeAndEcn;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], CsumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], CsumOffset);
    }
}
