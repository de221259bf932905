// The control socket's request line (one JSON object: words and json) and trailer ("\u0001exit N"):
// what `pgate diagnose` writes reads back, and anything else on the socket is refused, never thrown.
using PostureGate.Gateway.Control;

namespace PostureGate.Gateway.Tests.Control;

public class ControlProtocolTests
{
    [Fact]
    public void ARequestReadsBackAsWritten()
    {
        var line = ControlProtocol.Encode(new ControlRequest(["vpn", "ike", "gateway", "list"], Json: true));

        Assert.Equal("""{"words":["vpn","ike","gateway","list"],"json":true}""", line);
        Assert.True(ControlProtocol.TryDecode(line, out var request));
        Assert.Equal(["vpn", "ike", "gateway", "list"], request!.Words);
        Assert.True(request.Json);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"json":false}""")]
    [InlineData("""{"words":["vpn",null],"json":false}""")]
    [InlineData("""{"words":"vpn","json":false}""")]
    [InlineData("""["vpn"]""")]
    public void AnythingElseIsRefused(string line) => Assert.False(ControlProtocol.TryDecode(line, out _));

    [Fact]
    public void TheTrailerCarriesTheExitCodeAfterAControlCharacter()
    {
        Assert.Equal("\u0001exit 0", ControlProtocol.Trailer(0));
        Assert.Equal("\u0001exit 13", ControlProtocol.Trailer(ControlProtocol.PermissionDenied));
    }
}
