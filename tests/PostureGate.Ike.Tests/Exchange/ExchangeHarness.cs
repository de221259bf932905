// The lab of INITIATOR-MESSAGES.md in one process: gateway 198.51.100.1 (phase1 "dialup",
// PSK, EAP-MSCHAPv2 with eap-identity send-request, pool 192.0.2.200-192.0.2.210, DNS
// 203.0.113.53, split 203.0.113.0/24) and a strongSwan-like client 198.51.100.2 (alice,
// encap=yes, the three lab proposals), both IkeSaManagers on one ManualTimeProvider.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Diagnostics;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;
using PostureGate.Kernel;
using PostureGate.Net;
using PostureGate.Proposals;
using PostureGate.Liveness;

namespace PostureGate.Ike.Tests.Exchange;

public sealed class ExchangeHarness : IDisposable
{
    public static readonly IPAddress GatewayAddress = IPAddress.Parse("198.51.100.1");
    public static readonly IPAddress ClientAddress = IPAddress.Parse("198.51.100.2");
    public static readonly byte[] Psk = "lab-psk-0123456789"u8.ToArray();

    public static CipherSuite P1(string n) => FortiOsProposals.TryGetPhase1(n, out var s) ? s : throw new ArgumentException(n);
    public static CipherSuite P2(string n) => FortiOsProposals.TryGetPhase2(n, out var s) ? s : throw new ArgumentException(n);

    public static readonly Dictionary<string, string> Users = new() { ["alice"] = "alice-password", ["bob"] = "bob-password" };

    public static IkePeerConfig GatewayConfig(Func<IkePeerConfig, IkePeerConfig>? tweak = null)
    {
        var c = new IkePeerConfig
        {
            Name = "dialup",
            Proposals = [P1("aes128-sha256"), P1("aes256gcm-prfsha384"), P1("chacha20poly1305-prfsha256")],
            DhGroups = [KeyExchangeMethod.Modp2048, KeyExchangeMethod.Ecp384, KeyExchangeMethod.Curve25519],
            Psk = Psk,
            LocalId = IkeIdentity.Fqdn("gw.pg.example"),
            EapEnabled = true,
            // authusrgrp holds alice only; bob exists but is outside the group.
            EapPasswordLookup = user => user == "alice" ? Users[user] : null,
            AddressPool = new AddressPool(Ipv4Range.Parse("192.0.2.200", "192.0.2.210")),
            DnsServers = [IPAddress.Parse("203.0.113.53")],
            SplitInclude = [Ipv4Subnet.Parse("203.0.113.0/24")],
            DpdMode = DpdMode.OnIdle,
            DpdRetryInterval = TimeSpan.FromSeconds(20),
            DpdRetryCount = 3,
            Children = [new ChildConfig { Name = "DY", Proposals = [P2("aes128-sha256"), P2("aes256gcm"), P2("chacha20poly1305")] }],
        };
        return tweak is null ? c : tweak(c);
    }

    public static IkePeerConfig ClientConfig(Func<IkePeerConfig, IkePeerConfig>? tweak = null)
    {
        var c = GatewayConfig() with
        {
            Name = "fgt",
            LocalId = null,
            AddressPool = null,
            DnsServers = [],
            SplitInclude = [],
            DpdMode = DpdMode.Disable,
        };
        return tweak is null ? c : tweak(c);
    }

    public ExchangeHarness(IkePeerConfig? gateway = null, IPostAuthenticationHook? hook = null, IkeSaManagerOptions? gatewayOptions = null)
    {
        Time = new ManualTimeProvider();
        GatewayDebug = new CollectingIkeDebugSink();
        GatewayInstaller = new InMemoryChildSaInstaller();
        ClientInstaller = new InMemoryChildSaInstaller();
        GatewayConfigUsed = gateway ?? GatewayConfig();
        Gateway = new IkeSaManager([GatewayConfigUsed], Network.SenderFor(), GatewayInstaller, (gatewayOptions ?? new IkeSaManagerOptions()) with
        {
            Time = Time,
            Debug = GatewayDebug,
            Logger = GatewayLog,
            PostAuthentication = hook ?? AllowAllPostAuthenticationHook.Instance,
            RekeyJitter = 0,
        });
        Client = new IkeSaManager([], Network.SenderFor(), ClientInstaller, new IkeSaManagerOptions { Time = Time, RekeyJitter = 0 });
        Network.Attach(GatewayAddress, Gateway);
        Network.Attach(ClientAddress, Client);
    }

    public ManualTimeProvider Time { get; }
    public InMemoryNetwork Network { get; } = new();
    public IkeSaManager Gateway { get; }
    public IkeSaManager Client { get; }
    public IkePeerConfig GatewayConfigUsed { get; }
    public InMemoryChildSaInstaller GatewayInstaller { get; }
    public InMemoryChildSaInstaller ClientInstaller { get; }
    public CollectingIkeDebugSink GatewayDebug { get; }
    public CollectingLogger GatewayLog { get; } = new();

    public static IkeInitiatorOptions Alice(IkePeerConfig? client = null, int port = 500) => new()
    {
        Config = client ?? ClientConfig(),
        Local = new IPEndPoint(ClientAddress, port),
        Remote = new IPEndPoint(GatewayAddress, 500),
        EapUser = "alice",
        EapPassword = Users["alice"],
        RemoteIdentity = IkeIdentity.Fqdn("gw.pg.example"),
        RemoteTs = [Ipv4Subnet.Parse("203.0.113.0/24")],
        ForceEncapsulation = true,
    };

    /// <summary>Starts an initiation and pumps until it completes.</summary>
    public IkeInitiateResult Connect(IkeInitiatorOptions? options = null)
    {
        var task = Client.InitiateAsync(options ?? Alice());
        Network.Pump();
        Assert.True(task.IsCompleted, "initiation did not complete after the exchange settled");
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Lets time pass with a live network: advances in steps and delivers whatever the timers sent.</summary>
    public void Elapse(TimeSpan total, double stepSeconds = 1)
    {
        var step = TimeSpan.FromSeconds(stepSeconds);
        for (var t = TimeSpan.Zero; t < total; t += step)
        {
            Time.Advance(t + step > total ? total - t : step);
            Network.Pump();
        }
    }

    public void Dispose()
    {
        Gateway.Dispose();
        Client.Dispose();
    }
}
