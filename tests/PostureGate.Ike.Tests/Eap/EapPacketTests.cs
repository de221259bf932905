// RFC 3748 §4 codec: valid packets and named malformed vectors; a failed parse
// leaves the out value default.
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class EapPacketTests
{
    [Fact]
    public void ParsesARequest()
    {
        byte[] data = [1, 7, 0, 9, 1, (byte)'a', (byte)'l', (byte)'i', (byte)'x'];
        Assert.True(EapPacket.TryParse(data, out var p));
        Assert.Equal(EapCode.Request, p.Code);
        Assert.Equal(7, p.Identifier);
        Assert.Equal(9, p.Length);
        Assert.Equal(EapType.Identity, p.Type);
        Assert.Equal("alix"u8.ToArray(), p.TypeData.ToArray());
        Assert.True(p.IsRequestOrResponse);
    }

    [Fact]
    public void ParsesSuccessAndFailure()
    {
        Assert.True(EapPacket.TryParse([3, 9, 0, 4], out var s));
        Assert.Equal(EapCode.Success, s.Code);
        Assert.Equal(9, s.Identifier);
        Assert.True(s.TypeData.IsEmpty);
        Assert.True(EapPacket.TryParse([4, 10, 0, 4], out var f));
        Assert.Equal(EapCode.Failure, f.Code);
        Assert.False(f.IsRequestOrResponse);
    }

    [Fact]
    public void OctetsBeyondLengthArePadding()
    {
        // RFC 3748 §4: octets outside Length are padding and MUST be ignored.
        byte[] data = [2, 1, 0, 6, 1, (byte)'x', 0xEE, 0xEE];
        Assert.True(EapPacket.TryParse(data, out var p));
        Assert.Equal(6, p.Length);
        Assert.Equal("x"u8.ToArray(), p.TypeData.ToArray());
    }

    [Fact]
    public void CreateRoundTrips()
    {
        var bytes = EapPacket.Create(EapCode.Response, 200, EapType.MsChapV2, [1, 2], [3]);
        Assert.Equal(new byte[] { 2, 200, 0, 8, 26, 1, 2, 3 }, bytes);
        Assert.True(EapPacket.TryParse(bytes, out var p));
        Assert.Equal(new byte[] { 1, 2, 3 }, p.TypeData.ToArray());
        Assert.Equal(new byte[] { 3, 5, 0, 4 }, EapPacket.CreateResult(EapCode.Success, 5));
        Assert.Equal(new byte[] { 4, 6, 0, 4 }, EapPacket.CreateResult(EapCode.Failure, 6));
    }

    [Fact]
    public void CreateRefusesMismatchedCodes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EapPacket.Create(EapCode.Success, 1, EapType.Identity, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => EapPacket.CreateResult(EapCode.Request, 1));
    }

    [Theory]
    [InlineData("Empty", "")]
    [InlineData("TooShort", "010100")]
    [InlineData("LengthBelowHeader", "01010003")]
    [InlineData("LengthBeyondData", "0101000A01")]
    [InlineData("RequestWithoutType", "01010004")]
    [InlineData("ResponseWithoutType", "02010004")]
    [InlineData("SuccessWithData", "0301000500")]
    [InlineData("FailureWithData", "0401000500")]
    [InlineData("UnknownCodeZero", "0001000501")]
    [InlineData("UnknownCodeFive", "0501000501")]
    public void RejectsMalformed(string name, string hex)
    {
        Assert.NotEmpty(name);
        Assert.False(EapPacket.TryParse(Convert.FromHexString(hex), out var p));
        Assert.Equal(default, p.Code);
        Assert.Equal(0, p.Identifier);
        Assert.Equal(0, p.Length);
        Assert.True(p.TypeData.IsEmpty);
    }
}
