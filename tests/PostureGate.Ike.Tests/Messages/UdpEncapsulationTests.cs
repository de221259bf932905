using PostureGate.Ike.Messages;

namespace PostureGate.Ike.Tests.Messages;

public class UdpEncapsulationTests
{
    [Fact]
    public void Keepalive_IsOneFfOctet()
    {
        Assert.Equal(Udp4500Kind.Keepalive, UdpEncapsulation.Classify([0xff]));
        Assert.Equal(Udp4500Kind.Invalid, UdpEncapsulation.Classify([0x00]));
    }

    [Fact]
    public void NonEspMarker_RoundTrip()
    {
        var ike = StrongSwanMessages.IkeSaInitRequest().Encode();
        var datagram = UdpEncapsulation.AddNonEspMarker(ike);
        Assert.Equal([0, 0, 0, 0], datagram[..4]);
        Assert.Equal(Udp4500Kind.Ike, UdpEncapsulation.Classify(datagram));
        Assert.True(UdpEncapsulation.TryStripNonEspMarker(datagram, out var stripped));
        Assert.Equal(ike, stripped.ToArray());
        Assert.True(IkeMessage.TryParse(stripped, out _, out _));
    }

    [Fact]
    public void Esp_HasANonZeroSpi()
    {
        Assert.Equal(Udp4500Kind.Esp, UdpEncapsulation.Classify([0xc1, 0x2a, 0, 1, 0, 0, 0, 1, 0xaa]));
        Assert.False(UdpEncapsulation.TryStripNonEspMarker(new byte[] { 0xc1, 0x2a, 0, 1, 0, 0, 0, 1 }, out _));
    }

    [Fact]
    public void TooShort_ForIkeAfterTheMarker() => Assert.Equal(Udp4500Kind.Invalid, UdpEncapsulation.Classify(new byte[4 + 27]));
}
