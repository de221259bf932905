using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Tests.Wire;

// RFC 3948 §2.1-§2.3 demultiplexing on the shared NAT-T port.
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

    [Fact]
    public void ReservedSpi_Invalid() =>
        // RFC 4303 §2.1: SPIs 1-255 are reserved.
        Assert.Equal(UdpEncapsulatedKind.Invalid, UdpEncapsulation.Classify([0, 0, 0, 0xFF, 0, 0, 0, 1]));

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
}
