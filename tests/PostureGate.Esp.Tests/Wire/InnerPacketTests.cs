using System.Net;
using PostureGate.Esp.Tests.Support;
using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Tests.Wire;

public class InnerPacketTests
{
    [Fact]
    public void ReadsIpv4AddressesAndLength()
    {
        var packet = Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", 12);
        Assert.True(InnerPacket.TryRead(packet, out var inner));
        Assert.Equal(4, inner.Version);
        Assert.Equal((UInt128)0x0A8B0102, inner.Source);
        Assert.Equal((UInt128)0xC0000207, inner.Destination);
        Assert.Equal(packet.Length, inner.TotalLength);
    }

    [Fact]
    public void TrailingBytesBeyondTotalLengthAreNotPartOfThePacket()
    {
        var packet = Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", 12);
        Assert.True(InnerPacket.TryRead([.. packet, 0, 0, 0, 0], out var inner));
        Assert.Equal(packet.Length, inner.TotalLength);
    }

    [Fact]
    public void TotalLengthBeyondBytes_Truncated()
    {
        var packet = Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", 12);
        Assert.False(InnerPacket.TryRead(packet.AsSpan(0, packet.Length - 1), out var inner));
        Assert.Equal(0, inner.Version);
    }

    [Fact]
    public void IhlBelowFive_BadHeaderLength()
    {
        var packet = Ipv4Packets.Udp("10.139.1.2", "192.0.2.7", 12);
        packet[0] = 0x44;
        Assert.False(InnerPacket.TryRead(packet, out _));
    }

    [Fact]
    public void ReadsIpv6()
    {
        var packet = new byte[40 + 8];
        packet[0] = 0x60;
        packet[5] = 8;
        IPAddress.Parse("2001:db8::1").TryWriteBytes(packet.AsSpan(8, 16), out _);
        IPAddress.Parse("2001:db8::2").TryWriteBytes(packet.AsSpan(24, 16), out _);
        Assert.True(InnerPacket.TryRead(packet, out var inner));
        Assert.Equal(6, inner.Version);
        Assert.Equal(48, inner.TotalLength);
        Assert.Equal((UInt128)1, inner.Source & 0xFFFF);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x50, 0, 0, 20 })]
    public void NotAnIpPacket_Rejected(byte[] packet) => Assert.False(InnerPacket.TryRead(packet, out _));
}
