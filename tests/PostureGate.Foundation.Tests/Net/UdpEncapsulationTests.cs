// RFC 3948 §2.1-§2.3 demultiplexing on the shared NAT-T port.
using PostureGate.Net;

namespace PostureGate.Foundation.Tests.Net;

public class UdpEncapsulationTests
{
    [Fact]
    public void KeepaliveIsTheSingleByteFF() =>
        Assert.Equal(UdpEncapsulatedKind.NatKeepalive, UdpEncapsulation.Classify([0xFF]));

    [Fact]
    public void SingleOtherByte_Invalid() =>
        Assert.Equal(UdpEncapsulatedKind.Invalid, UdpEncapsulation.Classify([0x00]));

    [Fact]
    public void NonEspMarkerBeforeAnIkeHeader_Ike()
    {
        var datagram = new byte[4 + 28];
        datagram[4] = 0x11; // first octet of an IKE SPI
        Assert.Equal(UdpEncapsulatedKind.Ike, UdpEncapsulation.Classify(datagram));
    }

    [Fact]
    public void MarkerWithoutRoomForAnIkeHeader_TooShort() =>
        Assert.Equal(UdpEncapsulatedKind.Invalid, UdpEncapsulation.Classify(new byte[4 + 27]));

    [Fact]
    public void NonZeroSpi_Esp() =>
        Assert.Equal(UdpEncapsulatedKind.Esp, UdpEncapsulation.Classify([0xC0, 0x01, 0x02, 0x03, 0, 0, 0, 1]));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(128)]
    [InlineData(255)]
    public void ReservedSpi_Invalid(byte spi) =>
        // RFC 4303 §2.1: SPIs 1-255 are reserved; no SA has one, so such a datagram is neither ESP nor IKE.
        Assert.Equal(UdpEncapsulatedKind.Invalid, UdpEncapsulation.Classify([0, 0, 0, spi, 0, 0, 0, 1, 0xAA]));

    [Fact]
    public void Spi256_IsTheFirstEsp() =>
        Assert.Equal(UdpEncapsulatedKind.Esp, UdpEncapsulation.Classify([0, 0, 1, 0, 0, 0, 0, 1]));

    [Fact]
    public void EspShorterThanHeader_TooShort() =>
        Assert.Equal(UdpEncapsulatedKind.Invalid, UdpEncapsulation.Classify([0xC0, 0x01, 0x02, 0x03, 0, 0, 0]));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void FewerThanFourBytes_TooShort(int length) =>
        Assert.Equal(UdpEncapsulatedKind.Invalid, UdpEncapsulation.Classify(new byte[length]));

    [Fact]
    public void WriteIkePrependsFourZeroOctets()
    {
        var destination = Enumerable.Repeat((byte)0xEE, 40).ToArray();
        var written = UdpEncapsulation.WriteIke([1, 2, 3], destination);
        Assert.Equal(7, written);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3 }, destination[..7]);
    }

    [Fact]
    public void AddNonEspMarker_ThenClassify_Ike()
    {
        var ike = Enumerable.Range(1, 28).Select(i => (byte)i).ToArray();
        var datagram = UdpEncapsulation.AddNonEspMarker(ike);
        Assert.Equal(UdpEncapsulatedKind.Ike, UdpEncapsulation.Classify(datagram));
        Assert.Equal(ike, datagram[UdpEncapsulation.NonEspMarkerLength..]);
    }
}
