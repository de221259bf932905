// IKE_SA_INIT → IKE_AUTH (EAP-MSCHAPv2 or PSK) → CP → CHILD_SA, read as the exchange.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Sa;
using PostureGate.Kernel;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Exchange;

public class EstablishmentTests
{
    private static void AssertKeysMirror(ChildSaInstallation gw, ChildSaInstallation client)
    {
        Assert.Equal(gw.InboundSpi, client.OutboundSpi);
        Assert.Equal(gw.OutboundSpi, client.InboundSpi);
        Assert.Equal(gw.InboundKeys.Encryption, client.OutboundKeys.Encryption);
        Assert.Equal(gw.InboundKeys.Integrity, client.OutboundKeys.Integrity);
        Assert.Equal(gw.OutboundKeys.Encryption, client.InboundKeys.Encryption);
        Assert.Equal(gw.OutboundKeys.Integrity, client.InboundKeys.Integrity);
        Assert.NotEqual(gw.InboundKeys.Encryption, gw.OutboundKeys.Encryption);
    }

    [Fact]
    public void EapMschapv2WithConfigPayloadAndChildSa()
    {
        using var h = new ExchangeHarness();
        var result = h.Connect();

        Assert.True(result.Success, result.Error);
        Assert.Equal(IPAddress.Parse("192.0.2.200"), result.VirtualIp);
        Assert.Equal([IPAddress.Parse("203.0.113.53")], result.Dns);
        Assert.Equal([Ipv4Subnet.Parse("203.0.113.0/24")], result.SplitNetworks);
        Assert.Null(result.ChildError);

        var gw = Assert.Single(h.GatewayInstaller.Installed);
        var client = Assert.Single(h.ClientInstaller.Installed);
        AssertKeysMirror(gw, client);
        Assert.Equal("dialup_0", gw.Instance);
        Assert.Equal(IPAddress.Parse("192.0.2.200"), gw.VirtualIp);
        Assert.True(gw.UdpEncapsulation);
        Assert.Equal(4500, gw.PeerEndpoint.Port);
        // §2.9: TSi narrowed from 0.0.0.0/0 to the leased /32, TSr to the split network.
        Assert.Equal([SelectorRange.Host(IPAddress.Parse("192.0.2.200"))], gw.RemoteSelectors);
        Assert.Equal([SelectorRange.FromSubnet(Ipv4Subnet.Parse("203.0.113.0/24"))], gw.LocalSelectors);
        Assert.Equal(EncryptionAlgorithm.AesCbc, gw.Encryption);
        Assert.False(gw.ExtendedSequenceNumbers);

        var snap = Assert.Single(h.Gateway.Snapshot());
        Assert.Equal("dialup_0", snap.Name);
        Assert.Equal("alice", snap.EapUser);
        Assert.Equal("alice", snap.PeerId);
        Assert.Equal("established", snap.Status);
        Assert.True(snap.NatRemote);
        Assert.False(snap.IsInitiator);
        Assert.Equal(IPAddress.Parse("192.0.2.200"), snap.AssignedAddress);
    }

    [Fact]
    public void DebugLinesFollowTheSeed()
    {
        using var h = new ExchangeHarness();
        Assert.True(h.Connect().Success);
        var lines = h.GatewayDebug.Lines;
        string[] expected =
        [
            "ike V=root:0:dialup:1: responder received AUTH msg",
            "ike V=root:0:dialup:1: processing notify type INITIAL_CONTACT",
            "ike V=root:0:dialup:1: peer identifier FQDN alice",
            "ike V=root:0:dialup:1: eap-peer=yes",
            "ike V=root:0:dialup:1: re-validate gw ID",
            "ike V=root:0:dialup:1: gw validation OK",
            "ike V=root:0:dialup:1: responder preparing EAP identity request",
            "ike V=root:0:dialup:1: auth verify done",
            "ike V=root:0:dialup:1: responder AUTH continuation",
            "ike V=root:0:dialup:1: authentication succeeded",
            "ike V=root:0:dialup_0:1: responder creating new child",
        ];
        var at = 0;
        foreach (var line in lines)
            if (at < expected.Length && line == expected[at])
                at++;
        Assert.True(at == expected.Length, $"missing '{(at < expected.Length ? expected[at] : "")}' in:\n{string.Join('\n', lines)}");
        Assert.Contains(lines, l => l.StartsWith("ike V=root:0: udp comes 198.51.100.2:4500->198.51.100.1:4500,", StringComparison.Ordinal));
    }

    [Fact]
    public void PskOnly()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { EapEnabled = false }));
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { EapEnabled = false })));
        Assert.True(result.Success, result.Error);
        Assert.Equal(IPAddress.Parse("192.0.2.200"), result.VirtualIp);
        AssertKeysMirror(Assert.Single(h.GatewayInstaller.Installed), Assert.Single(h.ClientInstaller.Installed));
        Assert.Null(Assert.Single(h.Gateway.Snapshot()).EapUser);
    }

    public static TheoryData<string, KeyExchangeMethod> Suites()
    {
        var data = new TheoryData<string, KeyExchangeMethod>();
        foreach (var s in new[] { "aes128-sha256", "aes256-sha1", "aes256gcm-prfsha384", "aes128gcm-prfsha256", "chacha20poly1305-prfsha256", "aes192-sha512" })
            data.Add(s, KeyExchangeMethod.Curve25519);
        foreach (var g in new[] { KeyExchangeMethod.Modp2048, KeyExchangeMethod.Ecp256, KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521, KeyExchangeMethod.Curve25519 })
            data.Add("aes256-sha256", g);
        return data;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void EachSuiteAndGroup(string suite, KeyExchangeMethod group)
    {
        Func<IkePeerConfig, IkePeerConfig> only = c => c with { Proposals = [ExchangeHarness.P1(suite)], DhGroups = [group] };
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(only));
        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(only)));
        Assert.True(result.Success, result.Error);
        AssertKeysMirror(Assert.Single(h.GatewayInstaller.Installed), Assert.Single(h.ClientInstaller.Installed));
    }

    [Fact]
    public async Task InvalidKePayloadRetry()
    {
        // The gateway prefers curve25519; the client guesses modp2048 first (its first proposal's group).
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with
        {
            Proposals = [ExchangeHarness.P1("chacha20poly1305-prfsha256")],
            DhGroups = [KeyExchangeMethod.Curve25519],
        }));
        var task = h.Client.InitiateAsync(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with
        {
            Proposals = [ExchangeHarness.P1("aes128-sha256"), ExchangeHarness.P1("chacha20poly1305-prfsha256")],
            DhGroups = [KeyExchangeMethod.Modp2048, KeyExchangeMethod.Curve25519],
        })));
        h.Network.Deliver(); // IKE_SA_INIT (KE modp2048) -->
        var answer = h.Network.Peek()!;
        Assert.True(IkeMessage.TryParse(answer.Bytes, out var refusal, out _));
        var notify = refusal!.FindNotify(NotifyType.InvalidKePayload);
        Assert.NotNull(notify);
        Assert.Equal(new byte[] { 0, 31 }, notify.Data);
        Assert.Equal(0, h.Gateway.HalfOpenCount); // stateless refusal
        h.Network.Pump();
        var result = await task;
        Assert.True(result.Success, result.Error);
        Assert.Equal(EncryptionAlgorithm.AesCbc, Assert.Single(h.GatewayInstaller.Installed).Encryption);
    }

    [Fact]
    public void NoProposalChosen()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { Proposals = [ExchangeHarness.P1("aes256-sha512")] }));
        var result = h.Connect();
        Assert.False(result.Success);
        Assert.Contains("NO_PROPOSAL_CHOSEN", result.Error);
        Assert.Empty(h.Gateway.Snapshot());
        Assert.Equal(0, h.Gateway.HalfOpenCount);
    }
}
