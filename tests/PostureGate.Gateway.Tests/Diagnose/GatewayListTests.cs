// `diagnose vpn ike gateway list` text and JSON (GatewayList): one block per IKE SA, in order.
using System.Net;
using System.Text.Json;
using PostureGate.Gateway.Diagnose;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Gateway.Tests.Diagnose;

public class GatewayListTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static IkeSaSnapshot Sa(string name, int ageSeconds) =>
        Snapshots.Established(name, "dialup", IPEndPoint.Parse("198.51.100.1:500"), IPEndPoint.Parse("203.0.113.9:500"), Now.AddSeconds(-ageSeconds));

    [Fact]
    public void TextIsEachSasBlockInOrderWithItsAge()
    {
        var text = GatewayList.Format([Sa("dialup_0", 34), Sa("dialup_1", 5)], Now);

        var first = text.IndexOf("name: dialup_0\n", StringComparison.Ordinal);
        var second = text.IndexOf("name: dialup_1\n", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first);
        Assert.Contains("created: 34s ago\n", text, StringComparison.Ordinal);
        Assert.Contains("created: 5s ago\n", text, StringComparison.Ordinal);
        Assert.Equal(Sa("dialup_0", 34).Format(Now) + "\n" + Sa("dialup_1", 5).Format(Now) + "\n", text);
    }

    [Fact]
    public void NoSasIsNoText() => Assert.Equal("", GatewayList.Format([], Now));

    [Fact]
    public void JsonIsAnArrayWithOneObjectPerSa()
    {
        using var doc = JsonDocument.Parse(GatewayList.FormatJson([Sa("dialup_0", 1), Sa("dialup_1", 1)]));

        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        Assert.Equal(2, doc.RootElement.GetArrayLength());
    }
}
