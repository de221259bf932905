// RFC 5216 §3.1/§3.2 EAP-TLS Type-Data: flags, the optional TLS Message Length, and what is too short.
using PostureGate.Ike.Eap;
using PostureGate.Ike.Eap.Tls;

namespace PostureGate.Ike.Tests.Eap.Tls;

public sealed class EapTlsPacketTests
{
    [Fact]
    public void CreateWritesFlagsLengthAndDataAndParseReadsThemBack()
    {
        var eap = EapTlsPacket.Create(EapCode.Request, 7, EapTlsFlags.MoreFragments, 0x01020304, [9, 9]);

        Assert.Equal(new byte[] { 1, 7, 0, 12, 13, 0xC0, 1, 2, 3, 4, 9, 9 }, eap);
        Assert.True(EapPacket.TryParse(eap, out var p));
        Assert.True(EapTlsPacket.TryParse(p.TypeData, out var tls));
        Assert.Equal(EapTlsFlags.LengthIncluded | EapTlsFlags.MoreFragments, tls.Flags);
        Assert.Equal(0x01020304u, tls.MessageLength);
        Assert.Equal(new byte[] { 9, 9 }, tls.Data.ToArray());
        Assert.False(tls.IsAcknowledgement);
    }

    [Fact]
    public void AnEmptyResponseWithoutFlagsIsAnAcknowledgement()
    {
        Assert.True(EapTlsPacket.TryParse([0], out var ack));
        Assert.True(ack.IsAcknowledgement);
        Assert.True(EapTlsPacket.TryParse([(byte)EapTlsFlags.Start], out var start));
        Assert.False(start.IsAcknowledgement);
    }

    [Theory]
    [InlineData("NoFlags", new byte[0])]
    [InlineData("LWithoutLength", new byte[] { 0x80, 0, 0, 1 })]
    public void TooShortIsRefused(string name, byte[] typeData)
    {
        Assert.False(EapTlsPacket.TryParse(typeData, out var p), name);
        Assert.Equal(EapTlsFlags.None, p.Flags);
    }

    [Fact]
    public void ReservedBitsAreIgnored()
    {
        Assert.True(EapTlsPacket.TryParse([0x1F, 5], out var p));
        Assert.Equal(EapTlsFlags.None, p.Flags);
        Assert.Equal(new byte[] { 5 }, p.Data.ToArray());
    }
}
