// The SAD as the control plane drives it: install, rekey overlap, delete with key
// zeroing, and RFC 4301 §4.4.2.1 lifetimes.
using System.Net;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Sad;
using PostureGate.Esp.Tests.Support;
using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Tests.Sad;

public class SecurityAssociationDatabaseTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("10.139.1.2");
    private static readonly uint VipNumber = 0x0A8B0102;
    private readonly List<EspSaExpire> _events = [];
    private readonly ManualTimeProvider _time = new();
    private readonly SecurityAssociationDatabase _sad;

    public SecurityAssociationDatabaseTests()
    {
        _sad = new SecurityAssociationDatabase(_time, _events.Add);
    }

    private static TestSuite Gcm => TestSuite.Get("aes128gcm");

    [Fact]
    public void InstalledPair_FoundBySpiAndVirtualIp()
    {
        var pair = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        Assert.True(_sad.TryGetInbound(0x1000, out var inbound));
        Assert.Same(pair.Inbound, inbound);
        Assert.Same(pair.Outbound, _sad.FindOutbound(VipNumber));
        Assert.False(_sad.TryGetInbound(0x2000, out _));
    }

    [Fact]
    public void Rekey_OutboundMovesAtInstall_OldInboundStaysUntilDeleted()
    {
        var old = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        var fresh = _sad.Add(Gcm.Config(0x1001, 3, SaFactory.Peer), Gcm.Config(0x2001, 4, SaFactory.Peer), Vip, 5);

        Assert.Same(fresh.Outbound, _sad.FindOutbound(VipNumber));
        Assert.True(_sad.TryGetInbound(0x1000, out _));
        Assert.True(_sad.TryGetInbound(0x1001, out _));

        Assert.True(_sad.Delete(0x1000));
        Assert.False(_sad.TryGetInbound(0x1000, out _));
        Assert.Same(fresh.Outbound, _sad.FindOutbound(VipNumber));
        Assert.Equal(InboundResult.Expired, old.Inbound.Open(new byte[64], 1, out _, out _));
    }

    [Fact]
    public void DeletingTheNewestPairFirst_FallsBackToTheOlder()
    {
        var old = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        _sad.Add(Gcm.Config(0x1001, 3, SaFactory.Peer), Gcm.Config(0x2001, 4, SaFactory.Peer), Vip, 5);
        Assert.True(_sad.Delete(0x1001));
        Assert.Same(old.Outbound, _sad.FindOutbound(VipNumber));
        Assert.True(_sad.Delete(0x1000));
        Assert.Null(_sad.FindOutbound(VipNumber));
        Assert.False(_sad.TryGetTunnel(5, out _));
    }

    [Fact]
    public void Delete_ZeroesTheKeys()
    {
        var inbound = Gcm.Config(0x1000, 1, SaFactory.Peer);
        var outbound = Gcm.Config(0x2000, 2, SaFactory.Peer);
        _sad.Add(inbound, outbound, Vip, 5);
        Assert.Contains(inbound.EncryptionKey, b => b != 0);
        _sad.Delete(0x1000);
        Assert.All(inbound.EncryptionKey, b => Assert.Equal(0, b));
        Assert.All(outbound.EncryptionKey, b => Assert.Equal(0, b));
    }

    [Fact]
    public void DuplicateInboundSpi_Rejected_NothingChanged()
    {
        _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        Assert.Throws<ArgumentException>(() =>
            _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2001, 2, SaFactory.Peer), IPAddress.Parse("10.139.1.3"), 6));
        Assert.Equal(1, _sad.Count);
        Assert.Null(_sad.FindOutbound(0x0A8B0103));
    }

    [Fact]
    public void VirtualIpOfAnotherTunnel_Rejected() =>
        Assert.Throws<ArgumentException>(() =>
        {
            _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
            _sad.Add(Gcm.Config(0x1001, 1, SaFactory.Peer), Gcm.Config(0x2001, 2, SaFactory.Peer), Vip, 6);
        });

    [Fact]
    public void DeleteTunnel_RemovesEveryPair()
    {
        _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        _sad.Add(Gcm.Config(0x1001, 1, SaFactory.Peer), Gcm.Config(0x2001, 2, SaFactory.Peer), Vip, 5);
        Assert.Equal(2, _sad.DeleteTunnel(5));
        Assert.Equal(0, _sad.Count);
        Assert.Null(_sad.FindOutbound(VipNumber));
    }

    [Fact]
    public void UpdatePeer_RedirectsOutbound()
    {
        var pair = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        var moved = new IPEndPoint(IPAddress.Parse("198.51.100.20"), 61000);
        Assert.True(_sad.UpdatePeer(5, moved));
        var buffer = new PacketBuffer();
        buffer.SetInner(Ipv4Packets.Udp("192.0.2.1", "10.139.1.2", 10));
        Assert.True(pair.Outbound.Seal(buffer, (byte)EspNextHeader.Ipv4));
        Assert.Equal(moved, buffer.Destination);
        Assert.False(_sad.UpdatePeer(99, moved));
    }

    [Fact]
    public void PacketLifetimes_SoftThenHard()
    {
        var lifetime = new SaLifetime(0, 0, SoftPackets: 2, HardPackets: 3, default, default);
        var pair = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer, lifetime: lifetime), Vip, 5);
        var results = Enumerable.Range(0, 4).Select(_ => SealOne(pair.Outbound)).ToArray();

        Assert.Equal(new[] { true, true, true, false }, results);
        Assert.Equal(
            new[] { new EspSaExpire(0x1000, 0x2000, false, 5, false, LifetimeLimit.Packets), new EspSaExpire(0x1000, 0x2000, false, 5, true, LifetimeLimit.Packets) },
            _events);
        Assert.Equal(1UL, pair.Outbound.Counters.ExpiredDrops);
    }

    [Fact]
    public void ByteLifetime_Soft_RaisedOnce()
    {
        var lifetime = new SaLifetime(SoftBytes: 100, 0, 0, 0, default, default);
        var pair = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer, lifetime: lifetime), Vip, 5);
        for (var i = 0; i < 5; i++)
            Assert.True(SealOne(pair.Outbound));
        Assert.Equal(new[] { new EspSaExpire(0x1000, 0x2000, false, 5, false, LifetimeLimit.Bytes) }, _events);
    }

    [Fact]
    public void TimeLifetimes_FollowTheClock()
    {
        var lifetime = SaLifetime.FromSeconds(100);
        _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer, lifetime: lifetime), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        _sad.CheckLifetimes();
        Assert.Empty(_events);

        _time.Advance(TimeSpan.FromSeconds(91));
        _sad.CheckLifetimes();
        _sad.CheckLifetimes();
        Assert.Equal(new[] { new EspSaExpire(0x1000, 0x1000, true, 5, false, LifetimeLimit.Time) }, _events);

        _time.Advance(TimeSpan.FromSeconds(10));
        _sad.CheckLifetimes();
        Assert.Equal(new EspSaExpire(0x1000, 0x1000, true, 5, true, LifetimeLimit.Time), _events[^1]);
        Assert.Equal(2, _events.Count);
    }

    [Fact]
    public void SequenceNumberWouldCycle_HardExpire()
    {
        // RFC 4303 §3.3.3: without ESN the counter must not wrap past 2^32-1.
        var pair = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer), Gcm.Config(0x2000, 2, SaFactory.Peer), Vip, 5);
        pair.Outbound.SetSequenceForTesting(uint.MaxValue - 1);
        Assert.True(SealOne(pair.Outbound));
        Assert.False(SealOne(pair.Outbound));
        Assert.Contains(new EspSaExpire(0x1000, 0x2000, false, 5, false, LifetimeLimit.SequenceNumber), _events);
        Assert.Contains(new EspSaExpire(0x1000, 0x2000, false, 5, true, LifetimeLimit.SequenceNumber), _events);
    }

    [Fact]
    public void WithEsn_TheCounterPassesTwoToThe32()
    {
        var pair = _sad.Add(Gcm.Config(0x1000, 1, SaFactory.Peer, esn: true), Gcm.Config(0x2000, 2, SaFactory.Peer, esn: true), Vip, 5);
        pair.Outbound.SetSequenceForTesting(uint.MaxValue - 1);
        Assert.True(SealOne(pair.Outbound));
        Assert.True(SealOne(pair.Outbound));
        Assert.Empty(_events);
    }

    private static bool SealOne(OutboundSa sa)
    {
        var buffer = new PacketBuffer();
        buffer.SetInner(Ipv4Packets.Udp("192.0.2.1", "10.139.1.2", 40));
        return sa.Seal(buffer, (byte)EspNextHeader.Ipv4);
    }
}
