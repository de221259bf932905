// IkeSaManager.WiresharkRecords (`diagnose vpn ike keys`): the live IKE SA's SPIs and keys and
// both directions of its CHILD_SA, in Wireshark's table formats, for an SA established now.
namespace PostureGate.Ike.Tests.Exchange;

public sealed class WiresharkRecordsTests
{
    [Fact]
    public void AnEstablishedSa_GivesOneIkeRecord_AndTwoEspRecordsWithItsKeys()
    {
        using var h = new ExchangeHarness();
        Assert.True(h.Connect().Success);

        var (ike, esp) = h.Gateway.WiresharkRecords();

        var sa = Assert.Single(h.Gateway.Snapshot());
        var record = Assert.Single(ike);
        Assert.NotNull(record);
        Assert.StartsWith($"{sa.InitiatorSpi:x16},{sa.ResponderSpi:x16},", record, StringComparison.Ordinal);
        var installed = Assert.Single(h.GatewayInstaller.Installed);
        Assert.Equal(2, esp.Count);
        Assert.Contains($"\"0x{installed.InboundSpi:x8}\"", esp[0], StringComparison.Ordinal);
        Assert.Contains("0x" + Convert.ToHexStringLower(installed.InboundKeys.Encryption), esp[0], StringComparison.Ordinal);
        Assert.Contains($"\"0x{installed.OutboundSpi:x8}\"", esp[1], StringComparison.Ordinal);
    }

    [Fact]
    public void NoSa_NoRecords()
    {
        using var h = new ExchangeHarness();
        var (ike, esp) = h.Gateway.WiresharkRecords();
        Assert.Empty(ike);
        Assert.Empty(esp);
    }
}
