// RFC 7296 §2.4 INITIAL_CONTACT (issue 12, issue 10 finding 6): only established SAs of the same
// authenticated identity go — never one still in EAP, never another device or another user's.
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Config;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class InitialContactTests
{
    private static IkeInitiatorOptions From(int port, bool initialContact, IkeIdentity? idi = null) => ExchangeHarness.Alice(port: port) with
    {
        InitialContact = initialContact,
        Identity = idi,
    };

    private static IkePeerConfig PskOnly(IkePeerConfig c) => c with { EapEnabled = false };

    [Fact]
    public void TheReplacedSaIsLoggedWithItsReplacement()
    {
        using var h = new ExchangeHarness();
        Assert.True(h.Connect(From(1000, initialContact: false)).Success);
        Assert.True(h.Connect(From(1001, initialContact: true)).Success);

        Assert.Equal(["dialup_1"], h.Gateway.Snapshot().Select(s => s.Name));
        var line = Assert.Single(h.GatewayLog.Entries, e => e.Message.Contains("dialup_0", StringComparison.Ordinal) && e.Message.Contains("deleted", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("replaced by dialup_1", line.Message);
        Assert.Contains("INITIAL_CONTACT", line.Message);
    }

    [Fact]
    public async Task AnSaStillInEapIsNotDeleted()
    {
        using var h = new ExchangeHarness();
        var first = h.Client.InitiateAsync(From(1000, initialContact: false));
        // Up to the EAP-Success: the user is known, the final AUTH(MSK) is still to come (§2.16).
        while (h.Gateway.AllSas.SingleOrDefault()?.EapCompleted != true)
            Assert.True(h.Network.Deliver());
        Assert.True(h.Network.Deliver()); // <-- EAP-Success
        var held = h.Network.Take(); // AUTH -->, still on its way while the second login completes

        var second = h.Connect(From(1001, initialContact: true));
        h.Network.Inject(held);
        h.Network.Pump();

        Assert.True(second.Success);
        Assert.True(first.IsCompleted, "the first login was cut off in EAP");
        var result = await first;
        Assert.True(result.Success, result.Error);
        Assert.Equal(2, h.Gateway.Snapshot().Count);
    }

    [Fact]
    public void OneUserOnTwoDevicesKeepsBoth()
    {
        using var h = new ExchangeHarness();
        var laptop = IkeIdentity.FromAddress(IPAddress.Parse("192.0.2.10"));
        var phone = IkeIdentity.FromAddress(IPAddress.Parse("192.0.2.11"));
        Assert.True(h.Connect(From(1000, initialContact: true, laptop)).Success);
        Assert.True(h.Connect(From(1001, initialContact: true, phone)).Success);

        Assert.Equal(2, h.Gateway.Snapshot().Count);
    }

    [Fact]
    public async Task PskOnly_SameIdiFromAnotherAddress_DeletesNothing()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(PskOnly));
        var victim = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(PskOnly)) with { InitialContact = false });
        Assert.True(victim.Success);

        // Another holder of the group PSK, elsewhere, claims the victim's IDi ("alice").
        var elsewhere = IPAddress.Parse("198.51.100.3");
        using var attacker = new IkeSaManager([], h.Network.SenderFor(), new InMemoryChildSaInstaller(),
            new IkeSaManagerOptions { Time = h.Time, RekeyJitter = 0 });
        h.Network.Attach(elsewhere, attacker);
        var task = attacker.InitiateAsync(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(PskOnly)) with
        {
            Local = new IPEndPoint(elsewhere, 500),
            InitialContact = true,
        });
        h.Network.Pump();
        Assert.True(task.IsCompleted);
        var result = await task;
        Assert.True(result.Success, result.Error);

        Assert.Equal(2, h.Gateway.Snapshot().Count);
        Assert.Contains(h.Gateway.Snapshot(), s => s.InitiatorSpi == victim.SpiI);
    }

    [Fact]
    public void PskOnly_SameIdiFromTheSameAddress_ReplacesTheOldSa()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(PskOnly));
        var client = ExchangeHarness.ClientConfig(PskOnly);
        Assert.True(h.Connect(ExchangeHarness.Alice(client, port: 1000) with { InitialContact = false }).Success);
        var rebooted = h.Connect(ExchangeHarness.Alice(client, port: 1001) with { InitialContact = true });

        Assert.True(rebooted.Success);
        Assert.Equal(rebooted.SpiI, Assert.Single(h.Gateway.Snapshot()).InitiatorSpi);
    }
}
