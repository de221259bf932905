// The connector's loop against the in-memory EMS: failures, push kinds, key rotation, serial.
using PostureGate.Posture.Tests.Tags;

namespace PostureGate.Posture.Tests.Ems;

public class EmsConnectorTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);


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
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request(["EMS1_ZTNA_a"], "10.0.0.1", snCheck: false), CancellationToken.None));
        f.Gate.TunnelRevoked += _ => throw new InvalidOperationException("subscriber bug");
        var second = new TaskCompletionSource<TunnelRevoked>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Gate.TunnelRevoked += r => second.TrySetResult(r);

        f.Ems.Put(ConnectorTagStoreTests.Endpoint(ConnectorTagStoreTests.Uid(1), "10.0.0.1"), push: true);

        await second.Task.WaitAsync(Guard);
        Assert.Equal(ConnectorState.Synced, f.Connector.State);
        Assert.Equal(0, f.Connector.Resyncs);
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
