// Issue 11, "a late EMS answer must not undo a correct decision": a slow EMS's backlog of changes
// about one endpoint reaches the gateway at once; the gate judges the endpoint's tunnel against
// the newest of them, not against a superseded one on the way.
using System.Collections.Concurrent;
using PostureGate.Posture.Tests.Tags;

namespace PostureGate.Posture.Tests.Gate;

public class LateChangeBatchTests
{
    private const string Uid1 = "6108A9179A5C40D7BD57504E15114C1F";
    private const string Ip1 = "172.16.200.242";
    private const string Tag = "all_registered_clients";

    private static EmsChange Change(long version, string kind, EndpointEntry entry) => new(version, kind, entry.Uid, entry);

    private static async Task<(GateFixture F, ConcurrentQueue<TunnelRevoked> Revoked)> AdmittedAsync()
    {
        var f = new GateFixture();
        f.Ems.Put(ConnectorTagStoreTests.Endpoint(Uid1, Ip1, Tag));
        await f.StartSyncedAsync();
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request(["EMS1_ZTNA_" + Tag], Ip1, GateFixture.FctBody(Uid1, Ip1)), CancellationToken.None));
        var revoked = new ConcurrentQueue<TunnelRevoked>();
        f.Gate.TunnelRevoked += revoked.Enqueue;
        return (f, revoked);
    }

    // Subscribed after the gate: once this sees the batch's last version, the gate has judged it.
    private static Task AppliedAsync(GateFixture f, long version)
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Store.Changed += _ =>
        {
            if (f.Store.For(1).Version >= version)
                applied.TrySetResult();
        };
        return applied.Task.WaitAsync(Wait.Guard);
    }

    [Fact]
    public async Task BurstEndingTagged_KeepsTheTunnel()
    {
        var (f, revoked) = await AdmittedAsync();
        await using var _ = f;
        var applied = AppliedAsync(f, 102);

        // Enrolled with no address, registered (no tag yet), then given the tag: all buffered.
        f.Ems.PushTogether(
            Change(100, EmsApiPaths.EndpointUpdated, ConnectorTagStoreTests.Endpoint(Uid1, null)),
            Change(101, EmsApiPaths.EndpointRegistered, ConnectorTagStoreTests.Endpoint(Uid1, Ip1)),
            Change(102, EmsApiPaths.EndpointUpdated, ConnectorTagStoreTests.Endpoint(Uid1, Ip1, Tag)));
        await applied;

        Assert.Empty(revoked);
        Assert.Equal(Uid1, Assert.Single(f.Gate.LiveTunnels).Uid);
    }

    [Fact]
    public async Task BurstEndingRemoved_RevokesTheTunnelOnce()
    {
        var (f, revoked) = await AdmittedAsync();
        await using var _ = f;
        var applied = AppliedAsync(f, 102);

        f.Ems.PushTogether(
            Change(100, EmsApiPaths.EndpointUpdated, ConnectorTagStoreTests.Endpoint(Uid1, null)),
            Change(101, EmsApiPaths.EndpointUpdated, ConnectorTagStoreTests.Endpoint(Uid1, Ip1, Tag)),
            new EmsChange(102, EmsApiPaths.EndpointDeleted, Uid1, null));
        await applied;

        Assert.Equal("dialup_0", Assert.Single(revoked).Instance);
        Assert.Empty(f.Gate.LiveTunnels);
    }
}
