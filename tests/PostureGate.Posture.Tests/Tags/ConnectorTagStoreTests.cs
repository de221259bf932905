using System.Net;

namespace PostureGate.Posture.Tests.Tags;

public class ConnectorTagStoreTests
{
    internal static EndpointEntry Endpoint(string uid, string? ip, params string[] tags) => new()
    {
        Uid = uid,
        Ip = ip is null ? null : IPAddress.Parse(ip),
        Mac = "00:0c:29:2c:67:74",
        Tags = tags,
    };

    internal static string Uid(int n) => n.ToString("X32");

    private static uint V4(string ip) => Ipv4Address.TryToUInt32(IPAddress.Parse(ip), out var v) ? v : throw new ArgumentException(ip);

    [Fact]
    public void Upsert_ResolvesTagToEndpointIp_AndNotOtherAddresses()
    {
        var store = new ConnectorTagStore(1);
        store.Upsert(Endpoint(Uid(1), "172.16.200.242", "all_registered_clients"));
        Assert.True(store.Resolves("all_registered_clients", V4("172.16.200.242")));
        Assert.False(store.Resolves("all_registered_clients", V4("172.16.200.243")));
        Assert.False(store.Resolves("other", V4("172.16.200.242")));
        Assert.True(store.ResolvesMac("all_registered_clients", "00:0C:29:2C:67:74"));
    }

    // Issue 10 finding 5: a lookup answered before a pushed removal, applied after it, brought the tag back.
    [Fact]
    public void LookupAnswer_OlderThanAPushedChange_DoesNotUndoIt()
    {
        var store = new ConnectorTagStore(1);
        store.ReplaceAll(10, [Endpoint(Uid(1), "10.0.0.1", "a"), Endpoint(Uid(2), "10.0.0.2", "a")]);
        var askedAt = store.Version;
        store.Upsert(Endpoint(Uid(1), "10.0.0.1"), 11); // pushed: tag a removed
        store.Remove(Uid(2), 12);                        // pushed: endpoint deleted

        Assert.False(store.TryApplyLookup(Endpoint(Uid(1), "10.0.0.1", "a"), askedAt, out var current1));
        Assert.False(store.TryApplyLookup(Endpoint(Uid(2), "10.0.0.2", "a"), askedAt, out var current2));

        Assert.False(store.Resolves("a", V4("10.0.0.1")));
        Assert.False(store.Resolves("a", V4("10.0.0.2")));
        Assert.Empty(current1!.Tags);
        Assert.Null(current2);
        // Asked after those changes, an answer is taken; an endpoint no push touched is too.
        Assert.True(store.TryApplyLookup(Endpoint(Uid(1), "10.0.0.1", "b"), store.Version, out _));
        Assert.True(store.Resolves("b", V4("10.0.0.1")));
        Assert.True(store.TryApplyLookup(Endpoint(Uid(3), "10.0.0.3", "a"), askedAt, out _));
        Assert.Equal(12, store.Version);
    }

    [Fact]
    public void Upsert_MovesTheEndpoint_OldAddressNoLongerResolves()
    {
        var store = new ConnectorTagStore(1);
        store.Upsert(Endpoint(Uid(1), "10.0.0.1", "a"));
        store.Upsert(Endpoint(Uid(1), "10.0.0.2", "a"));
        Assert.False(store.Resolves("a", V4("10.0.0.1")));
        Assert.True(store.Resolves("a", V4("10.0.0.2")));
        Assert.False(store.TryGetByIp(V4("10.0.0.1"), out _));
        Assert.True(store.TryGetByIp(V4("10.0.0.2"), out var e));
        Assert.Equal(Uid(1), e.Uid);
    }

    [Fact]
    public void TagRemoved_AddressStopsResolving_AndChangedNamesTheEndpoint()
    {
        var store = new ConnectorTagStore(1);
        store.Upsert(Endpoint(Uid(1), "10.0.0.1", "a", "b"));
        IReadOnlyList<EndpointDelta>? seen = null;
        store.Changed += d => seen = d;
        store.Upsert(Endpoint(Uid(1), "10.0.0.1", "b"), version: 9);
        Assert.False(store.Resolves("a", V4("10.0.0.1")));
        Assert.True(store.Resolves("b", V4("10.0.0.1")));
        Assert.Equal(9, store.Version);
        var delta = Assert.Single(seen!);
        Assert.Equal(Uid(1), delta.Uid);
        Assert.True(delta.Before!.HasTag("a"));
        Assert.False(delta.After!.HasTag("a"));
    }

    [Fact]
    public void SharedAddress_OneEndpointLosingTheTag_DoesNotUnresolveTheOther()
    {
        var store = new ConnectorTagStore(1);
        store.Upsert(Endpoint(Uid(1), "192.168.1.10", "a"));
        store.Upsert(Endpoint(Uid(2), "192.168.1.10", "a"));
        store.Upsert(Endpoint(Uid(1), "192.168.1.10"));
        Assert.True(store.Resolves("a", V4("192.168.1.10")));
        store.Remove(Uid(2));
        Assert.False(store.Resolves("a", V4("192.168.1.10")));
        // The remaining endpoint is still found by its address after the first owner left.
        Assert.True(store.TryGetByIp(V4("192.168.1.10"), out var e));
        Assert.Equal(Uid(1), e.Uid);
    }

    [Fact]
    public void Remove_UnknownUid_ChangesNothing()
    {
        var store = new ConnectorTagStore(1);
        store.Upsert(Endpoint(Uid(1), "10.0.0.1", "a"));
        var raised = false;
        store.Changed += _ => raised = true;
        Assert.False(store.Remove(Uid(2)));
        Assert.False(raised);
        Assert.Equal(1, store.EndpointCount);
        Assert.True(store.Resolves("a", V4("10.0.0.1")));
    }

    [Fact]
    public void ReplaceAll_KeepsTagIds_AndReportsOnlyWhatChanged()
    {
        var store = new ConnectorTagStore(1);
        store.Upsert(Endpoint(Uid(1), "10.0.0.1", "a"));
        store.Upsert(Endpoint(Uid(2), "10.0.0.2", "b"));
        var idA = store.DefineTag("a");
        IReadOnlyList<EndpointDelta>? seen = null;
        store.Changed += d => seen = d;
        var unchanged = store.TryGetByUid(Uid(1), out var e1) ? e1 : null;
        store.ReplaceAll(42, [unchanged!, Endpoint(Uid(3), "10.0.0.3", "a")], ["a", "b", "c"]);
        Assert.Equal(42, store.Version);
        Assert.Equal(idA, store.DefineTag("a"));
        Assert.False(store.Resolves("b", V4("10.0.0.2")));
        Assert.True(store.Resolves("a", V4("10.0.0.3")));
        Assert.Equal([Uid(2), Uid(3)], seen!.Select(d => d.Uid).Order());
        Assert.Contains(store.DynamicAddresses(), a => a.Name.Tag == "c" && a.Addresses.Count == 0);
    }

    [Fact]
    public void LargeStore_LookupsStayExact()
    {
        // The structure behind the O(1) claim (bench measures the time): a hash per tag keyed by IPv4.
        const int endpoints = 200_000;
        var store = new ConnectorTagStore(1);
        var list = new List<EndpointEntry>(endpoints);
        for (var i = 0; i < endpoints; i++)
            list.Add(new EndpointEntry { Uid = Uid(i), Ip = Ipv4Address.FromUInt32(0x0A000000u + (uint)i), Tags = [$"t{i % 100}"] });
        store.ReplaceAll(1, list);
        for (var i = 0; i < endpoints; i += 997)
        {
            var ip = 0x0A000000u + (uint)i;
            Assert.True(store.Resolves($"t{i % 100}", ip));
            Assert.False(store.Resolves($"t{(i + 1) % 100}", ip));
        }
        Assert.Equal(endpoints / 100, store.DynamicAddresses().Single(a => a.Name.Tag == "t7").Addresses.Count);
    }

    [Fact]
    public void Ipv6Endpoint_IsStoredButResolvesNoIpv4Tag()
    {
        var store = new ConnectorTagStore(1);
        store.Upsert(Endpoint(Uid(1), "2001:db8::1", "a"));
        Assert.True(store.TryGetByUid(Uid(1), out _));
        Assert.Empty(store.DynamicAddresses().Single().Addresses);
    }

    [Fact]
    public void Ipv4MappedAddress_IsTheSameKey()
    {
        Assert.True(Ipv4Address.TryToUInt32(IPAddress.Parse("::ffff:10.0.0.1"), out var mapped));
        Assert.Equal(V4("10.0.0.1"), mapped);
        Assert.False(Ipv4Address.TryToUInt32(IPAddress.Parse("2001:db8::1"), out _));
    }

    // Issue 11: a batch raises one Changed, each endpoint's net move (first before, last after).
    [Fact]
    public void Batch_RaisesOneChangeWithTheNetMove_AndNothingForWhatCameAndWent()
    {
        var store = new ConnectorTagStore(1);
        var first = Endpoint(Uid(1), "172.16.200.242", "a");
        store.Upsert(first);
        var raised = new List<IReadOnlyList<EndpointDelta>>();
        store.Changed += raised.Add;

        using (store.BeginBatch())
        {
            store.Upsert(Endpoint(Uid(1), null), 10);
            store.Upsert(Endpoint(Uid(2), "172.16.200.243"), 11);
            store.Upsert(Endpoint(Uid(1), "172.16.200.242", "a"), 12);
            store.Remove(Uid(2), 13);
            Assert.Empty(raised);
            Assert.Throws<InvalidOperationException>(() => store.BeginBatch());
        }

        var delta = Assert.Single(Assert.Single(raised));
        Assert.Equal(Uid(1), delta.Uid);
        Assert.Same(first, delta.Before);
        Assert.True(delta.After!.HasTag("a"));
        Assert.Equal(13, store.Version);
        store.Remove(Uid(1), 14);
        Assert.Equal(2, raised.Count);
    }
}

public class ConnectorTagStoreConcurrencyTests
{
    [Fact]
    public async Task ConcurrentWritersAndReaders_LeaveAConsistentIndex()
    {
        var store = new ConnectorTagStore(1);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 5000; i++)
            {
                var n = w * 100_000 + i % 500;
                store.Upsert(new EndpointEntry { Uid = n.ToString("X32"), Ip = Ipv4Address.FromUInt32(0x0A000000u + (uint)n), Tags = i % 2 == 0 ? ["a"] : ["b"] });
            }
        }));
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 20000; i++)
                store.Resolves("a", 0x0A000000u + (uint)(i % 500));
        });
        await Task.WhenAll([.. writers, reader]);
        // Endpoint k's last write was i = 4500 + k: tag a when k is even, b when odd.
        foreach (var e in store.Endpoints())
        {
            var k = (e.Ipv4!.Value - 0x0A000000u) % 100_000;
            var expected = k % 2 == 0 ? "a" : "b";
            Assert.Equal([expected], e.Tags);
            Assert.True(store.Resolves(expected, e.Ipv4!.Value));
            Assert.False(store.Resolves(expected == "a" ? "b" : "a", e.Ipv4!.Value));
        }
        Assert.Equal(2000, store.EndpointCount);
    }
}
