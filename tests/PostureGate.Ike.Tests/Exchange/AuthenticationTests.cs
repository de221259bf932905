// IKE_AUTH failures: wrong PSK, wrong EAP password, user outside authusrgrp, early EAP-Success.
using PostureGate.Ike.Eap;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class AuthenticationTests
{
    [Fact]
    public void WrongPskWithEapIsCaughtByTheClient()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { Psk = "not-the-psk"u8.ToArray() })));
        Assert.False(result.Success);
        Assert.Contains("gateway AUTH did not verify", result.Error);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Empty(h.ClientInstaller.Installed);
    }

    [Fact]
    public void WrongPskWithoutEapIsAuthenticationFailed()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { EapEnabled = false }));
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { EapEnabled = false, Psk = "wrong"u8.ToArray() })));
        Assert.False(result.Success);
        Assert.Contains("AUTHENTICATION_FAILED", result.Error);
        Assert.Empty(h.Gateway.Snapshot());
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
    }

    [Fact]
    public void WrongEapPasswordGetsEapFailureThenNothing()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect(ExchangeHarness.Alice() with { EapPassword = "guess" });
        Assert.False(result.Success);
        Assert.StartsWith("EAP failed", result.Error);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
        Assert.Contains(h.GatewayDebug.Lines, l => l.Contains("EAP authentication failed", StringComparison.Ordinal));
        // The half-open SA goes when its timer runs out.
        h.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Empty(h.Gateway.Snapshot());
    }

    [Fact]
    public void UserOutsideGroupIsRefused()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect(ExchangeHarness.Alice() with { EapUser = "bob", EapPassword = ExchangeHarness.Users["bob"] });
        Assert.False(result.Success);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Equal(0, h.GatewayConfigUsed.AddressPool!.LeasedCount);
    }

    [Fact]
    public async Task EarlyEapSuccessIsRefusedByTheInitiator()
    {
        using var h = new ExchangeHarness();
        var task = h.Client.InitiateAsync(ExchangeHarness.Alice());
        h.Network.Deliver(); // IKE_SA_INIT -->
        h.Network.Deliver(); // <-- IKE_SA_INIT
        h.Network.Deliver(); // IKE_AUTH 1 -->
        h.Network.Deliver(); // <-- IDr AUTH EAP/REQ/ID
        h.Network.Deliver(); // EAP/RES/ID -->
        // The gateway's MSCHAPv2 challenge is replaced by an EAP-Success (RFC 3748 §4.2, code 3).
        var challenge = h.Network.Take();
        var gatewaySa = h.Gateway.AllSas.Single();
        var header = new IkeHeader(gatewaySa.SpiI, gatewaySa.SpiR, PayloadType.NoNextPayload, ExchangeType.IkeAuth, IkeHeaderFlags.Response, 2, 0);
        var forged = IkeWire.Encode(gatewaySa, header, [new EapPayload([3, 1, 0, 4])]).Single();
        h.Network.Inject(challenge with { Bytes = forged });
        h.Network.Pump();
        var result = await task;
        Assert.False(result.Success);
        Assert.StartsWith("EAP failed", result.Error);
        Assert.Empty(h.ClientInstaller.Installed);
    }
}
