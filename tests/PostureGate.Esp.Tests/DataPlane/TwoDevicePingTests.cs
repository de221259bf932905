// wireguard-go's TestTwoDevicePing for ESP: a gateway and a client data plane wired back
// to back through FakeBind, each with a FakeTun. A packet written into one TUN must come
// out of the other, decrypted, for every suite; and the control-plane operations
// (rekey, delete, NAT rebinding, lifetimes) must behave on the live path.
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.DataPlane;

public sealed class TwoDevicePingTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly IPEndPoint GatewayEndPoint = new(IPAddress.Parse("192.0.2.1"), 4500);
    private static readonly IPEndPoint ClientEndPoint = new(IPAddress.Parse("198.51.100.20"), 55846);
    private static readonly IPAddress ClientVip = IPAddress.Parse("10.139.1.2");
    private const int TunnelId = 3;

    private readonly FakeNetwork _network = new();
    private readonly FakeTun _gatewayTun = new("gw0");
    private readonly FakeTun _clientTun = new("cl0");
    private readonly ConcurrentQueue<uint> _spisOnWire = new();
    private readonly BlockingCollection<(byte[] Message, IPEndPoint From)> _ikeAtGateway = new();
    private readonly EspDataPlane _gateway;
    private readonly EspDataPlane _client;
    private readonly TogglePolicy _gatewayPolicy = new();

    public TwoDevicePingTests()
    {
        _network.OnTransit = (datagram, _, _) =>
        {
            if (datagram.Length >= 8 && BinaryPrimitives.ReadUInt32BigEndian(datagram) is var spi and not 0)
                _spisOnWire.Enqueue(spi);
            return datagram;
        };
        _gateway = new EspDataPlane(_gatewayTun, _network.Bind(GatewayEndPoint), new EspDataPlaneOptions
        {
            Policy = _gatewayPolicy,
            IkeReceived = (message, from) => _ikeAtGateway.Add((message, from)),
            PipelineDepth = 4,
        });
        // The client runs each direction on one thread, the gateway as a two-stage pipeline: both shapes are covered.
        _client = new EspDataPlane(_clientTun, _network.Bind(ClientEndPoint), new EspDataPlaneOptions { PipelineDepth = 0 });
        _gateway.Start();
        _client.Start();
    }

    public void Dispose()
    {
        _gateway.Dispose();
        _client.Dispose();
    }

    // Client → gateway SPIs are 0x1000+n, gateway → client 0x2000+n; seeds make both ends share keys.
    private void Install(TestSuite suite, int n, bool gateway = true, bool client = true, bool esn = false, SaLifetime lifetime = default)
    {
        uint c2g = (uint)(0x1000 + n), g2c = (uint)(0x2000 + n);
        byte seedC2G = (byte)(n * 2 + 1), seedG2C = (byte)(n * 2 + 2);
        IReadOnlyList<(IPAddress, IPAddress)> anySource = [(IPAddress.Any, IPAddress.Broadcast)];
        if (gateway)
            _gateway.AddChildSa(
                suite.Config(c2g, seedC2G, ClientEndPoint, esn),
                suite.Config(g2c, seedG2C, ClientEndPoint, esn, lifetime: lifetime),
                ClientVip, TunnelId);
        if (client)
            _client.AddChildSa(
                suite.Config(g2c, seedG2C, GatewayEndPoint, esn, innerSources: anySource),
                suite.Config(c2g, seedC2G, GatewayEndPoint, esn),
                IPAddress.Any, 1);
    }

    private byte[] ClientToGateway(int payload = 1200, string source = "10.139.1.2")
    {
        var packet = Ipv4Packets.Udp(source, "192.0.2.7", payload);
        _clientTun.Inject(packet);
        return packet;
    }

    private byte[] GatewayToClient(int payload = 1200)
    {
        var packet = Ipv4Packets.Udp("192.0.2.7", "10.139.1.2", payload);
        _gatewayTun.Inject(packet);
        return packet;
    }

    private static void AssertArrives(FakeTun tun, byte[] expected)
    {
        Assert.True(tun.TryTake(out var got, Wait), "packet did not come out of the other TUN");
        Assert.Equal(expected, got);
    }

    private static void WaitFor(Func<bool> condition) =>
        Assert.True(SpinWait.SpinUntil(condition, Wait), "the counter did not move");

    [Theory]
    [MemberData(nameof(TestSuite.Names), MemberType = typeof(TestSuite))]
    public void PingBothWays(string name)
    {
        Install(TestSuite.Get(name), 1);
        var request = ClientToGateway();
        AssertArrives(_gatewayTun, request);
        var reply = GatewayToClient(900);
        AssertArrives(_clientTun, reply);

        Assert.True(_gateway.TryGetTunnelCounters(TunnelId, out var counters));
        Assert.Equal((1UL, 1UL, (ulong)request.Length, (ulong)reply.Length),
            (counters.RxPackets, counters.TxPackets, counters.RxBytes, counters.TxBytes));
        Assert.NotNull(counters.InboundIdle);
        Assert.NotNull(counters.OutboundIdle);
    }

    [Fact]
    public void ManyPacketsInOrder_WithEsn()
    {
        Install(TestSuite.Get("aes256gcm"), 1, esn: true);
        var sent = Enumerable.Range(0, 300).Select(i => ClientToGateway(100 + i)).ToList();
        foreach (var packet in sent)
            AssertArrives(_gatewayTun, packet);
        Assert.True(_gateway.TryGetChildSaCounters(0x1001, out var inbound, out _));
        Assert.Equal(300UL, inbound.Packets);
        Assert.Equal(0UL, inbound.ReplayDrops);
    }

    [Fact]
    public void RekeyOverlap_OldInboundAcceptedUntilDeleted_OutboundMovesAtInstall()
    {
        var suite = TestSuite.Get("aes128gcm");
        Install(suite, 1);
        AssertArrives(_gatewayTun, ClientToGateway());

        // The gateway (responder) installs the new pair first; the client still sends on the old one.
        Install(suite, 2, client: false);
        _spisOnWire.Clear();
        AssertArrives(_gatewayTun, ClientToGateway());
        Assert.Equal([0x1001u], _spisOnWire.ToArray());

        Install(suite, 2, gateway: false);
        _spisOnWire.Clear();
        AssertArrives(_gatewayTun, ClientToGateway());
        AssertArrives(_clientTun, GatewayToClient());
        Assert.Equal([0x1002u, 0x2002u], _spisOnWire.ToArray());

        // Once the old inbound SA is deleted, its packets are no longer accepted.
        Assert.True(_gateway.DeleteChildSa(0x1001));
        Assert.True(_client.DeleteChildSa(0x2001));
        var unknownBefore = _gateway.Counters.UnknownSpi;
        var stale = new byte[64];
        BinaryPrimitives.WriteUInt32BigEndian(stale, 0x1001);
        BinaryPrimitives.WriteUInt32BigEndian(stale.AsSpan(4), 9);
        _network.Bind(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 4500)).SendTo(stale, GatewayEndPoint);
        WaitFor(() => _gateway.Counters.UnknownSpi == unknownBefore + 1);
        AssertArrives(_gatewayTun, ClientToGateway());
    }

    [Fact]
    public void ForgedInnerSource_DroppedAndCounted()
    {
        Install(TestSuite.Get("chacha20poly1305"), 1);
        ClientToGateway(source: "10.139.1.99");
        WaitFor(() => _gateway.TryGetChildSaCounters(0x1001, out var c, out _) && c.SelectorDrops == 1);
        Assert.Equal(0, _gatewayTun.Pending);
        var genuine = ClientToGateway();
        AssertArrives(_gatewayTun, genuine);
    }

    [Fact]
    public void TamperedSpiOnTheWire_UnknownSpi()
    {
        Install(TestSuite.Get("aes128-sha1"), 1);
        var inner = _network.OnTransit!;
        _network.OnTransit = (d, from, to) =>
        {
            if (to.Equals(GatewayEndPoint))
                d[3] ^= 0x40;
            return inner(d, from, to);
        };
        ClientToGateway();
        WaitFor(() => _gateway.Counters.UnknownSpi == 1);
        Assert.Equal(0, _gatewayTun.Pending);
    }

    [Fact]
    public void PolicyDenies_DroppedAndCounted()
    {
        Install(TestSuite.Get("aes256-sha256"), 1);
        _gatewayPolicy.AllowIn = false;
        ClientToGateway();
        WaitFor(() => _gateway.TryGetChildSaCounters(0x1001, out var c, out _) && c.PolicyDrops == 1);
        Assert.Equal(0, _gatewayTun.Pending);
    }

    [Fact]
    public void UpdatePeer_FollowsTheNatMapping()
    {
        Install(TestSuite.Get("aes128gcm"), 1);
        var rebound = new IPEndPoint(ClientEndPoint.Address, 61000);
        using var newMapping = _network.Bind(rebound);
        Assert.True(_gateway.UpdatePeer(TunnelId, rebound));
        GatewayToClient();
        var buffer = PacketBuffer.CreateBatch(1);
        Assert.Equal(1, newMapping.Receive(buffer, new CancellationTokenSource(Wait).Token));
        Assert.Equal(0x2001u, BinaryPrimitives.ReadUInt32BigEndian(buffer[0].Data));
    }

    [Fact]
    public void NoSaForTheDestination_NoRoute()
    {
        Install(TestSuite.Get("aes128gcm"), 1);
        _gatewayTun.Inject(Ipv4Packets.Udp("192.0.2.7", "10.139.1.200", 10));
        WaitFor(() => _gateway.Counters.NoRoute == 1);
    }

    [Fact]
    public void HardPacketLifetime_RaisesExpiredAndStopsTheSa()
    {
        var expired = new BlockingCollection<EspSaExpire>();
        _gateway.Expired += expired.Add;
        Install(TestSuite.Get("aes128gcm"), 1, lifetime: new SaLifetime(0, 0, 0, HardPackets: 1, default, default));
        AssertArrives(_clientTun, GatewayToClient());
        Assert.True(expired.TryTake(out var e, Wait));
        Assert.Equal(new EspSaExpire(0x1001, 0x2001, false, TunnelId, true, LifetimeLimit.Packets), e);
        GatewayToClient();
        WaitFor(() => _gateway.Counters.OutboundDrops == 1);
    }

    [Fact]
    public void IkeAndKeepalivesShareThePort()
    {
        var ike = new byte[4 + 28];
        ike[4] = 0x5A;
        ike[^1] = 0x7E;
        var clientSocket = _network.Bind(new IPEndPoint(IPAddress.Parse("198.51.100.30"), 4500));
        clientSocket.SendTo(ike, GatewayEndPoint);
        Assert.True(_ikeAtGateway.TryTake(out var received, Wait));
        Assert.Equal(ike[4..], received.Message);
        Assert.Equal(clientSocket.LocalEndPoint, received.From);

        clientSocket.SendTo([0xFF], GatewayEndPoint);
        WaitFor(() => _gateway.Counters.NatKeepalives == 1);

        // The gateway's IKE reply goes out behind the non-ESP marker.
        _gateway.SendIke(received.Message, received.From);
        var reply = PacketBuffer.CreateBatch(1);
        Assert.Equal(1, clientSocket.Receive(reply, new CancellationTokenSource(Wait).Token));
        Assert.Equal(ike, reply[0].Data.ToArray());
    }

    private sealed class TogglePolicy : IInnerPacketPolicy
    {
        public volatile bool AllowIn = true;

        public bool AllowInbound(ReadOnlySpan<byte> packet, int tunnelId) => AllowIn;

        public bool AllowOutbound(ReadOnlySpan<byte> packet, int tunnelId) => true;
    }
}
