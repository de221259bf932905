// The connector's loop against the in-memory EMS: failures, push kinds, key rotation, serial.
using PostureGate.Posture.Tests.Tags;

namespace PostureGate.Posture.Tests.Ems;

public class EmsConnectorTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);


    // Issue 10 finding 5: the EMS answers a lookup, then removes the tag and pushes the removal;
    // the answer arrives after the push. It must not bring the tag back, nor be the lookup's result.
    [Fact]
    public async Task LookupAnsweredBeforeAPushedRemoval_AppliedAfterIt_DoesNotResurrectTheTag()
    {
        await using var f = new GateFixture();
        var uid = ConnectorTagStoreTests.Uid(1);
        var ip = System.Net.IPAddress.Parse("10.0.0.1");
        f.Ems.Put(ConnectorTagStoreTests.Endpoint(uid, "10.0.0.1", "a"));
        await f.StartSyncedAsync();
        f.Ems.HoldLookups = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lookup = f.Connector.LookupByUidAsync(uid, CancellationToken.None);
        await Wait.UntilAsync(() => f.Ems.Lookups == 1);

        var store = f.Store.For(1);
        var before = store.Version;
        f.Ems.Put(ConnectorTagStoreTests.Endpoint(uid, "10.0.0.1"), push: true);
        await Wait.UntilAsync(() => store.Version > before);
        f.Ems.HoldLookups.SetResult();
        var result = await lookup.WaitAsync(Guard);

        Assert.Equal(EmsStatus.Ok, result.Status);
        Assert.Empty(result.Value!.Tags);
        Assert.False(store.Resolves("a", Ipv4Address.TryToUInt32(ip, out var v) ? v : 0));
    }

    [Fact]
    public async Task UnexpectedException_DoesNotKillTheLoop()
    {
        await using var f = new GateFixture();
        f.Ems.ThrowOnce = new InvalidOperationException("client bug");
        await f.StartSyncedAsync();
        Assert.Equal(ConnectorState.Synced, f.Connector.State);
    }

    [Fact]
    public async Task PushKinds_AreApplied_AndKeyRotationRefetchesTheJwks()
    {
        await using var f = new GateFixture();
        f.Ems.Put(ConnectorTagStoreTests.Endpoint(ConnectorTagStoreTests.Uid(1), "10.0.0.1", "a"));
        await f.StartSyncedAsync();
        var jwks = f.Ems.JwksCalls;
        var store = f.Store.For(1);

        f.Ems.Push(new EmsChange(100, "tag.defined", "new_tag", null));
        f.Ems.Push(new EmsChange(101, "endpoint.deleted", ConnectorTagStoreTests.Uid(1), null));
        f.Ems.Push(new EmsChange(102, "key.rotated", "k2", null));
        await Wait.UntilAsync(() => f.Ems.JwksCalls > jwks);

        Assert.Equal(0, store.EndpointCount);
        Assert.Contains(store.DynamicAddresses(), a => a.Name.Tag == "new_tag");
        Assert.Equal(101, store.Version);
        Assert.Equal(ConnectorState.Synced, f.Connector.State);
    }

    [Fact]
    public async Task RevocationSubscriberThatThrows_DoesNotStopTheOthersOrTheStream()
    {
        await using var f = new GateFixture();
        f.Ems.Put(ConnectorTagStoreTests.Endpoint(ConnectorTagStoreTests.Uid(1), "10.0.0.1", "a"));
        await f.StartSyncedAsync();
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request(["EMS1_ZTNA_a"], "10.0.0.1", GateFixture.FctBody(ConnectorTagStoreTests.Uid(1), "10.0.0.1"), snCheck: false), CancellationToken.None));
        f.Gate.TunnelRevoked += _ => throw new InvalidOperationException("subscriber bug");
        var second = new TaskCompletionSource<TunnelRevoked>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Gate.TunnelRevoked += r => second.TrySetResult(r);

        f.Ems.Put(ConnectorTagStoreTests.Endpoint(ConnectorTagStoreTests.Uid(1), "10.0.0.1"), push: true);

        await second.Task.WaitAsync(Guard);
        Assert.Equal(ConnectorState.Synced, f.Connector.State);
        Assert.Equal(0, f.Connector.Resyncs);
    }

    [Fact]
    public async Task OutOfSync_IsRaisedOnce_AtLostSincePlusThreshold_AndBackInSyncEndsIt()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var f = new GateFixture(time: time);
        await f.StartSyncedAsync();
        int outOfSync = 0, backInSync = 0;
        f.Connector.OutOfSync += _ => Interlocked.Increment(ref outOfSync);
        f.Connector.BackInSync += _ => Interlocked.Increment(ref backInSync);
        await f.LoseEmsAsync();
        var lostSince = f.Connector.LostSince!.Value;

        time.Advance(f.Settings.OutOfSyncThreshold - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, outOfSync);
        Assert.Null(f.Connector.OutOfSyncSince);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, outOfSync);
        Assert.Equal(lostSince + f.Settings.OutOfSyncThreshold, f.Connector.OutOfSyncSince);
        Assert.False(f.Connector.CacheUsable);
        // Failed reconnects while away do not re-arm it.
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, outOfSync);
        Assert.Equal(lostSince, f.Connector.LostSince);

        await f.RestoreEmsAsync(time);
        await Wait.UntilAsync(() => Volatile.Read(ref backInSync) == 1);
        Assert.Null(f.Connector.OutOfSyncSince);
        Assert.Null(f.Connector.LostSince);
        Assert.True(f.Connector.CacheUsable);

        // A second loss has a timer of its own.
        await f.LoseEmsAsync();
        time.Advance(f.Settings.OutOfSyncThreshold);
        Assert.Equal(2, outOfSync);
    }

    [Fact]
    public async Task ResyncBeforeTheThreshold_DisarmsTheTimer()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var f = new GateFixture(time: time);
        await f.StartSyncedAsync();
        var raised = 0;
        f.Connector.OutOfSync += _ => Interlocked.Increment(ref raised);
        f.Connector.BackInSync += _ => Interlocked.Increment(ref raised);
        await f.LoseEmsAsync();
        time.Advance(f.Settings.OutOfSyncThreshold / 2);

        await f.RestoreEmsAsync(time);
        time.Advance(f.Settings.OutOfSyncThreshold * 2);

        Assert.Equal(0, raised);
        Assert.Null(f.Connector.OutOfSyncSince);
        Assert.Equal(ConnectorState.Synced, f.Connector.State);
    }

    [Fact]
    public async Task FctemsStatus_ShowsWhenTheCacheWentOutOfSync()
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-11-27T10:00:00Z"));
        await using var f = new GateFixture(time: time);
        await f.StartSyncedAsync();
        await f.LoseEmsAsync();
        time.Advance(f.Settings.OutOfSyncThreshold + TimeSpan.FromSeconds(20));

        var status = FctemsStatusFormatter.Describe([f.Connector], f.Tokens.Keys, time);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T10:03:00Z"), Assert.Single(status).OutOfSyncSince);
        var text = FctemsStatusFormatter.Format(status, time);
        Assert.Contains("cached tags expired\n        out of sync since: 2026-11-27 10:03:00 (20s ago)\n", text);
    }

    [Fact]
    public async Task SnapshotFromAnotherEmsSerial_IsNeverTrusted()
    {
        await using var f = new GateFixture();
        f.Ems.Serial = "FCTEMS9999999999";
        f.Ems.Put(ConnectorTagStoreTests.Endpoint(ConnectorTagStoreTests.Uid(1), "10.0.0.1", "a"));
        f.Connector.Start();
        await Wait.UntilAsync(() => f.Connector.LastError is not null);
        Assert.Contains("FCTEMS9999999999", f.Connector.LastError);
        Assert.Equal(ConnectorState.Connecting, f.Connector.State);
        Assert.Equal(0, f.Store.For(1).EndpointCount);
    }
}
