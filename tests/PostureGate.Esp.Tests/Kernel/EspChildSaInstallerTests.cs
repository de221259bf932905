// EspChildSaInstaller, the data plane's side of the kernel contract, without root: fake TUN
// devices and a fake network, both roles.
using System.Buffers.Binary;
using System.Net;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Kernel;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Esp.Tests.Kernel;

/// <summary>
/// The client role: the client's data plane with the CHILD_SA installed as `pgate client --tun`
/// installs it, against a gateway data plane holding the mirrored pair for VIP 192.0.2.200. Every
/// destination the client's routes hand in goes into the one SA; inbound, only sources inside the
/// gateway's TSr get through (RFC 4301 §5.2). The gateway role: a tunnel per instance, found by
/// the peer's virtual IP, numbered by the numbering it is given.
/// </summary>
public sealed class EspChildSaInstallerTests : IDisposable
{
    private static readonly IPEndPoint ClientEndpoint = new(IPAddress.Parse("198.51.100.2"), 40000);
    private static readonly IPEndPoint GatewayEndpoint = new(IPAddress.Parse("198.51.100.1"), 4500);
    private static readonly IPAddress Vip = ClientInstallations.Vip;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly byte[] _clientToGateway = [.. Enumerable.Range(1, 20).Select(i => (byte)i)];
    private readonly byte[] _gatewayToClient = [.. Enumerable.Range(101, 20).Select(i => (byte)i)];
    private readonly FakeTun _clientTun = new("pgclient0");
    private readonly FakeTun _gatewayTun = new("dialup");
    private readonly EspDataPlane _client;
    private readonly EspDataPlane _gateway;
    private readonly EspChildSaInstaller _installer;

    public EspChildSaInstallerTests()
    {
        var network = new FakeNetwork();
        _client = new EspDataPlane(_clientTun, network.Bind(ClientEndpoint));
        _gateway = new EspDataPlane(_gatewayTun, network.Bind(GatewayEndpoint));
        _client.Start();
        _gateway.Start();
        _installer = new EspChildSaInstaller(_client, new EspChildSaInstallerOptions { OneTunnelForEverything = true });
        // The gateway's view: inbound from the client (its source must be the VIP), outbound to it.
        _gateway.AddChildSa(
            Config(0x2000, _clientToGateway, ClientEndpoint, [(Vip, Vip)]),
            Config(0x1000, _gatewayToClient, ClientEndpoint, []), Vip, tunnelId: 7);
    }

    [Fact]
    public void Install_EveryDestination_GoesThroughTheOneSa_AndRepliesFromTsrComeBack()
    {
        Assert.True(_installer.Install(Installation()));

        _clientTun.Inject(Ipv4Packet(Vip, "203.0.113.10"));
        _clientTun.Inject(Ipv4Packet(Vip, "203.0.113.77"));
        Assert.True(_gatewayTun.TryTake(out var first, Wait));
        Assert.True(_gatewayTun.TryTake(out var second, Wait));
        Assert.Equal(["203.0.113.10", "203.0.113.77"], new[] { first, second }.Select(Destination).Order());

        _gatewayTun.Inject(Ipv4Packet(IPAddress.Parse("203.0.113.10"), Vip.ToString()));
        Assert.True(_clientTun.TryTake(out var reply, Wait));
        Assert.Equal(Vip.ToString(), Destination(reply));
        Assert.Single(_installer.Installed);
    }

    [Fact]
    public void Install_InboundFromOutsideTheGatewaysSelectors_IsDropped()
    {
        Assert.True(_installer.Install(Installation()));

        _gatewayTun.Inject(Ipv4Packet(IPAddress.Parse("10.9.9.9"), Vip.ToString()));

        Assert.True(SpinWait.SpinUntil(() => _client.TryGetChildSaCounters(0x1000, out var c, out _) && c.SelectorDrops == 1, Wait));
        Assert.Equal(0, _clientTun.Pending);
    }

    [Fact]
    public void Remove_StopsTheTraffic_AndForgetsTheSa()
    {
        Assert.True(_installer.Install(Installation()));

        _installer.Remove("client", 0x1000, 0x2000);
        _clientTun.Inject(Ipv4Packet(Vip, "203.0.113.10"));

        Assert.True(SpinWait.SpinUntil(() => _client.Counters.NoRoute == 1, Wait));
        Assert.Equal(0, _gatewayTun.Pending);
        Assert.Empty(_installer.Installed);
        Assert.False(_client.TryGetChildSaCounters(0x1000, out _, out _));
    }

    [Fact]
    public void Install_SameInboundSpiTwice_IsRefused_AndTheFirstStays()
    {
        Assert.True(_installer.Install(Installation()));

        Assert.False(_installer.Install(Installation()));

        Assert.Single(_installer.Installed);
        Assert.True(_client.TryGetChildSaCounters(0x1000, out _, out _));
    }

    [Fact]
    public void GatewayRole_TunnelPerInstance_FromTheGivenNumbering_GroupedAsConfigured()
    {
        var numbering = new TunnelNumbering();
        Assert.Equal(1, numbering.Next()); // another data plane's tunnel already holds 1
        using var esp = new EspDataPlane(new FakeTun("gw1"), new FakeNetwork().Bind(GatewayEndpoint));
        using var gateway = new EspChildSaInstaller(esp, new EspChildSaInstallerOptions
        {
            TunnelNumbers = numbering,
            TunnelGroupOf = InstanceName.Phase1Of,
        });

        Assert.True(gateway.Install(Installation() with { Instance = "dialup_0" }));
        Assert.True(gateway.Install(Installation() with
        {
            Instance = "dialup_1", InboundSpi = 0x1001, OutboundSpi = 0x2001, VirtualIp = IPAddress.Parse("192.0.2.201"),
        }));

        Assert.True(gateway.TryGetTunnelId("dialup_0", out var first));
        Assert.True(gateway.TryGetTunnelId("dialup_1", out var second));
        Assert.Equal((2, 3), (first, second));
        Assert.True(gateway.TryGetTunnelGroup(second, out var group));
        Assert.Equal("dialup", group);

        gateway.Remove("dialup_1", 0x1001, 0x2001);
        Assert.False(gateway.TryGetTunnelId("dialup_1", out _));
        Assert.False(esp.TryGetTunnelCounters(second, out _));
        Assert.True(esp.TryGetTunnelCounters(first, out _));
    }

    // The per-instance index (issue 16: no scan of every SA per removal or per listed tunnel):
    // an instance's tunnel stays until its last CHILD_SA goes, and its CHILD_SAs are its own.
    [Fact]
    public void GatewayRole_AnInstancesTunnel_StaysUntilItsLastChildSaGoes()
    {
        using var esp = new EspDataPlane(new FakeTun("gw1"), new FakeNetwork().Bind(GatewayEndpoint));
        using var gateway = new EspChildSaInstaller(esp, new EspChildSaInstallerOptions { TunnelGroupOf = InstanceName.Phase1Of });
        Assert.True(gateway.Install(Installation() with { Instance = "dialup_0" }));
        Assert.True(gateway.Install(Installation() with { Instance = "dialup_0", InboundSpi = 0x1002, OutboundSpi = 0x2002 }));
        Assert.True(gateway.Install(Installation() with
        {
            Instance = "dialup_1", InboundSpi = 0x1001, OutboundSpi = 0x2001, VirtualIp = IPAddress.Parse("192.0.2.201"),
        }));
        Assert.True(gateway.TryGetTunnelId("dialup_0", out var tunnel));

        Assert.Equal([0x1000u, 0x1002u], gateway.InstalledFor("dialup_0").Select(c => c.InboundSpi).Order());
        Assert.Equal([0x1001u], gateway.InstalledFor("dialup_1").Select(c => c.InboundSpi));
        Assert.Empty(gateway.InstalledFor("dialup_9"));

        gateway.Remove("dialup_0", 0x1000, 0x2000);
        Assert.True(esp.TryGetTunnelCounters(tunnel, out _));
        Assert.Equal([0x1002u], gateway.InstalledFor("dialup_0").Select(c => c.InboundSpi));

        gateway.Remove("dialup_0", 0x1002, 0x2002);
        Assert.False(esp.TryGetTunnelCounters(tunnel, out _));
        Assert.False(gateway.TryGetTunnelId("dialup_0", out _));
        Assert.Empty(gateway.InstalledFor("dialup_0"));
        Assert.True(gateway.TryGetTunnelId("dialup_1", out _));
    }

    // The client role's one tunnel carries every instance: it goes with the last of them.
    [Fact]
    public void ClientRole_TheOneTunnel_StaysWhileAnyInstanceHasAChildSa()
    {
        Assert.True(_installer.Install(Installation() with { Instance = "a" }));
        Assert.True(_installer.Install(Installation() with { Instance = "b", InboundSpi = 0x1003, OutboundSpi = 0x2003 }));

        _installer.Remove("a", 0x1000, 0x2000);
        Assert.True(_client.TryGetTunnelCounters(EspChildSaInstaller.SingleTunnelId, out _));

        _installer.Remove("b", 0x1003, 0x2003);
        Assert.False(_client.TryGetTunnelCounters(EspChildSaInstaller.SingleTunnelId, out _));
    }

    [Fact]
    public void AnExpiry_IsReportedForTheChildSasInboundSpi_WhicheverDirectionExpired()
    {
        var clock = new ManualTimeProvider();
        using var esp = new EspDataPlane(new FakeTun("cl1"), new FakeNetwork().Bind(ClientEndpoint), new EspDataPlaneOptions { Time = clock });
        using var installer = new EspChildSaInstaller(esp, new EspChildSaInstallerOptions { OneTunnelForEverything = true, Time = clock });
        var events = new RecordingEvents();
        installer.Attach(events);
        Assert.True(installer.Install(Installation() with { SoftLifetime = TimeSpan.FromMinutes(1), HardLifetime = TimeSpan.FromMinutes(5) }));

        clock.Advance(TimeSpan.FromMinutes(2));
        esp.CheckLifetimes();

        // Both SAs of the pair hit the soft limit; each is reported (from the thread pool) as the CHILD_SA 0x1000.
        Assert.True(SpinWait.SpinUntil(() => events.Rekeys.Count == 2, Wait));
        Assert.Equal([0x1000u, 0x1000u], events.Rekeys);
    }

    private sealed class RecordingEvents : IChildSaEvents
    {
        public System.Collections.Concurrent.ConcurrentQueue<uint> Rekeys { get; } = new();

        public void TrafficSeen(uint inboundSpi, bool inbound, bool outbound) { }

        public void RekeyRequested(uint inboundSpi) => Rekeys.Enqueue(inboundSpi);

        public void Expired(uint inboundSpi) { }
    }

    private ChildSaInstallation Installation() =>
        ClientInstallations.Make([SelectorRange.FromSubnet(new Ipv4Subnet(Ipv4.ToUInt32(IPAddress.Parse("203.0.113.0")), 24))],
            GatewayEndpoint, [.. _gatewayToClient], [.. _clientToGateway]);

    private static EspSaConfig Config(uint spi, byte[] key, IPEndPoint peer, (IPAddress, IPAddress)[] sources) =>
        new(spi, EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, [.. key], [], false, 64, peer, sources,
            new SaLifetime(0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero));

    // RFC 791 header (checksum filled in) + an ICMP echo request of 8 bytes.
    private static byte[] Ipv4Packet(IPAddress source, string destination)
    {
        var p = new byte[28];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
        p[8] = 64;
        p[9] = 1;
        source.GetAddressBytes().CopyTo(p, 12);
        IPAddress.Parse(destination).GetAddressBytes().CopyTo(p, 16);
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(i));
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), (ushort)~sum);
        p[20] = 8;
        return p;
    }

    private static string Destination(byte[] packet) => new IPAddress(packet.AsSpan(16, 4)).ToString();

    public void Dispose()
    {
        _client.Dispose();
        _gateway.Dispose();
    }
}
