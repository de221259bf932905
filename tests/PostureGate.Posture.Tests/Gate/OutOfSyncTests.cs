// Tunnels an EMS admitted, when that EMS stays away past out-of-sync-threshold: judged again as a
// new connection would be at that moment (the client's token decides, or the tunnel goes), on
// the connector's own timer — driven here by a manual clock, so "not before" is exact.
using System.Collections.Concurrent;
using PostureGate.Posture.Tests.Tags;

namespace PostureGate.Posture.Tests.Gate;

public class OutOfSyncTests
{
    private const string Uid1 = "6108A9179A5C40D7BD57504E15114C1F";
    private const string Uid2 = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private const string Ip1 = "172.16.200.242";
    private const string Tag = "all_registered_clients";
    private const string Tag1 = "EMS1_ZTNA_all_registered_clients";
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(180);

    private static EndpointEntry Tagged(string uid, string ip, params string[] tags) => ConnectorTagStoreTests.Endpoint(uid, ip, tags);

    private static async Task AdmitAsync(GateFixture f, string? token = null, string instance = "dialup_0", string uid = Uid1, string ip = Ip1,
        string[]? tags = null, bool fctTags = true, PostureSource expected = PostureSource.Ems)
    {
        var request = GateFixture.Request(tags ?? [Tag1], ip, GateFixture.FctBody(uid, ip, fctTags: fctTags), token, instance: instance);
        var allow = Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(request, CancellationToken.None));
        Assert.Equal(expected, allow.Source);
    }

    // Admitted by the EMS with a token carrying the tag; the EMS lost past the threshold; kept by the token.
    private static async Task KeptByTokenPastTheThresholdAsync(ManualTimeProvider time, GateFixture f)
    {
        await AdmitAsync(f, f.Tokens.Valid(time.GetUtcNow(), uid: Uid1, tags: [Tag]));
        await f.LoseEmsAsync();
        time.Advance(Threshold);
        await Wait.UntilAsync(() => f.Gate.LiveTunnels.Single().Source == PostureSource.Token);
    }

    private static async Task<(ManualTimeProvider Time, GateFixture F, ConcurrentQueue<TunnelRevoked> Revoked)> StartAsync(bool secondConnector = false)
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var f = new GateFixture(time: time, secondConnector: secondConnector);
        f.Ems.Put(Tagged(Uid1, Ip1, Tag));
        await f.StartSyncedAsync();
        var revoked = new ConcurrentQueue<TunnelRevoked>();
        f.Gate.TunnelRevoked += revoked.Enqueue;
        return (time, f, revoked);
    }

    [Fact]
    public async Task EmsAdmittedTunnel_WithoutToken_IsDeletedAtTheThreshold_NotBefore()
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        await AdmitAsync(f);
        await f.LoseEmsAsync();
        var lostSince = f.Connector.LostSince!.Value;

        time.Advance(Threshold - TimeSpan.FromSeconds(1));
        Assert.Null(f.Connector.OutOfSyncSince);
        Assert.True(f.Connector.CacheUsable);
        Assert.Empty(revoked);
        Assert.Equal(PostureSource.Ems, Assert.Single(f.Gate.LiveTunnels).Source);

        time.Advance(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(() => !revoked.IsEmpty);

        var r = Assert.Single(revoked);
        Assert.Equal(("dialup_0", Uid1, RevocationReasons.EmsCannotVouch), (r.Instance, r.Uid, r.Reason));
        Assert.Equal(lostSince + Threshold, f.Connector.OutOfSyncSince);
        Assert.False(f.Connector.CacheUsable);
        Assert.Empty(f.Gate.LiveTunnels);
        var audit = Assert.Single(f.Audit.Records, a => a.Event == "revoked");
        Assert.Equal(RevocationReasons.EmsCannotVouch, audit.Reason);
        Assert.StartsWith("EMS1 out of sync since ", audit.Trigger);
        Assert.Equal((PostureSource.Ems, Tag1), (audit.Source, audit.Tag));
        Assert.Contains(audit.Tags, c => c.Tag == Tag1 && c.Result == TagCheckResult.Unreachable);
        Assert.Contains(audit.Tags, c => c.Tag == "token" && c.Reason.Contains("no valid ZTNA token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmsAdmittedTunnel_WithAValidTokenGrantingTheTag_IsKept_AndItsSourceBecomesToken()
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        await AdmitAsync(f, f.Tokens.Valid(time.GetUtcNow(), uid: Uid1, tags: [Tag]));
        await f.LoseEmsAsync();

        time.Advance(Threshold);
        await Wait.UntilAsync(() => f.Audit.Records.Any(a => a.Event == "revalidated"));

        var tunnel = Assert.Single(f.Gate.LiveTunnels);
        Assert.Equal((PostureSource.Token, Tag1), (tunnel.Source, tunnel.MatchedTag));
        Assert.NotNull(tunnel.Token);
        Assert.Null(tunnel.PendingToken);
        var audit = Assert.Single(f.Audit.Records, a => a.Event == "revalidated");
        Assert.Equal(("allow", PostureSource.Token, Tag1, "dialup_0"), (audit.Outcome, audit.Source, audit.Tag, audit.Instance));
        Assert.StartsWith("EMS1 out of sync since ", audit.Trigger);
        Assert.Contains("\"source\":\"token\"", audit.ToJsonLine());
        Assert.Empty(revoked);
    }

    // Each is what a new connection would be refused with at that moment.
    [Theory]
    [InlineData("WithoutTheTag", "carries none")]
    [InlineData("ExpiredByThen", "refused: Expired")]
    [InlineData("AnotherEndpointsUid", "refused: UidMismatch")]
    [InlineData("NotAToken", "refused: NotThreeParts")]
    [InlineData("FctTagsNotAnnounced", "no valid ZTNA token")]
    public async Task EmsAdmittedTunnel_WithAnUnusableToken_IsDeleted(string name, string why)
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        var now = time.GetUtcNow();
        var token = name switch
        {
            "WithoutTheTag" => f.Tokens.Valid(now, uid: Uid1, tags: ["Low"]),
            "ExpiredByThen" => f.Tokens.Valid(now, uid: Uid1, tags: [Tag], exp: now.ToUnixTimeSeconds() + 60),
            "AnotherEndpointsUid" => f.Tokens.Valid(now, uid: Uid2, tags: [Tag]),
            "NotAToken" => "not-a-token",
            _ => f.Tokens.Valid(now, uid: Uid1, tags: [Tag]),
        };
        await AdmitAsync(f, token, fctTags: name != "FctTagsNotAnnounced");
        await f.LoseEmsAsync();

        time.Advance(Threshold);
        await Wait.UntilAsync(() => !revoked.IsEmpty);

        Assert.Equal(RevocationReasons.EmsCannotVouch, Assert.Single(revoked).Reason);
        Assert.Empty(f.Gate.LiveTunnels);
        var audit = Assert.Single(f.Audit.Records, a => a.Event == "revoked");
        Assert.Contains(audit.Tags, c => c.Tag == "token" && c.Reason.Contains(why, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EmsBackBeforeTheThreshold_NothingHappens()
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        await AdmitAsync(f);
        var before = Assert.Single(f.Gate.LiveTunnels);
        await f.LoseEmsAsync();
        time.Advance(Threshold / 2);

        await f.RestoreEmsAsync(time);
        time.Advance(Threshold * 2);

        Assert.Equal(ConnectorState.Synced, f.Connector.State);
        Assert.Equal(1, f.Connector.Resyncs);
        Assert.Null(f.Connector.OutOfSyncSince);
        Assert.Same(before, Assert.Single(f.Gate.LiveTunnels));
        Assert.Empty(revoked);
        Assert.Equal(["decision"], f.Audit.Records.Select(a => a.Event));
    }

    [Fact]
    public async Task TokenKeptTunnel_ReturnsToTheEms_WhenItIsBack_AndATagRemovedThereStillRevokes()
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        await KeptByTokenPastTheThresholdAsync(time, f);

        await f.RestoreEmsAsync(time);
        await Wait.UntilAsync(() => f.Gate.LiveTunnels.Single().Source == PostureSource.Ems);
        Assert.Contains(f.Audit.Records, a => a is { Event: "revalidated", Source: PostureSource.Ems, Trigger: "EMS1 back in sync" });
        Assert.Null(f.Connector.OutOfSyncSince);

        f.Ems.Put(Tagged(Uid1, Ip1), push: true);
        await Wait.UntilAsync(() => !revoked.IsEmpty);

        // The token still carries the tag, but the EMS answers again: it is never overruled.
        Assert.Equal(RevocationReasons.TagRemoved, Assert.Single(revoked).Reason);
        Assert.Empty(f.Gate.LiveTunnels);
    }

    [Fact]
    public async Task TagRemovedWhileTheEmsWasAway_RevokesTheTokenKeptTunnelOnResync()
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        await KeptByTokenPastTheThresholdAsync(time, f);
        f.Ems.Put(Tagged(Uid1, Ip1));

        await f.RestoreEmsAsync(time);
        await Wait.UntilAsync(() => !revoked.IsEmpty);

        var r = Assert.Single(revoked);
        Assert.Equal(RevocationReasons.TagRemoved, r.Reason);
        Assert.Contains(f.Audit.Records, a => a is { Event: "revoked", Trigger: "EMS1 back in sync" });
    }

    [Fact]
    public async Task OnlyTheTunnelsOfThatEms_AreJudged_AndOneAnotherEmsStillGrantsMovesToIt()
    {
        var (time, f, revoked) = await StartAsync(secondConnector: true);
        await using var _ = f;
        f.Ems2!.Put(Tagged(Uid2, "172.16.200.243", "b"));
        f.Ems2.Put(Tagged(Uid1, Ip1, "b"));
        f.Connector2!.Start();
        await f.Connector2.WaitForSyncAsync().WaitAsync(Wait.Guard);
        await AdmitAsync(f, instance: "dialup_0");
        await AdmitAsync(f, instance: "both_0", tags: [Tag1, "EMS2_ZTNA_b"]);
        await AdmitAsync(f, instance: "corp_0", uid: Uid2, ip: "172.16.200.243", tags: ["EMS2_ZTNA_b"]);
        var corp = f.Gate.LiveTunnels.Single(t => t.Instance == "corp_0");
        await f.LoseEmsAsync();

        time.Advance(Threshold);
        await Wait.UntilAsync(() => !revoked.IsEmpty);

        Assert.Equal("dialup_0", Assert.Single(revoked).Instance);
        var both = f.Gate.LiveTunnels.Single(t => t.Instance == "both_0");
        Assert.Equal(("EMS2_ZTNA_b", PostureSource.Ems), (both.MatchedTag, both.Source));
        Assert.Contains(f.Audit.Records, a => a is { Event: "revalidated", Instance: "both_0", Tag: "EMS2_ZTNA_b" });
        Assert.Same(corp, f.Gate.LiveTunnels.Single(t => t.Instance == "corp_0"));
        Assert.DoesNotContain(f.Audit.Records, a => a.Instance == "corp_0" && a.Event != "decision");
        Assert.Null(f.Connector2.OutOfSyncSince);
    }

    // A judgement that only the IKE_AUTH token could turn, made before that token was verified
    // (here: a tunnel a live lookup admitted while fctems 1 had never synced, judged on a change
    // at fctems 2): the token is verified first, never taken for missing.
    [Fact]
    public async Task UnverifiedIkeAuthToken_IsVerifiedBeforeAJudgementThatNeedsIt()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var f = new GateFixture(time: time, secondConnector: true);
        f.Ems.Put(Tagged(Uid1, Ip1, Tag));
        f.Ems2!.Put(Tagged(Uid1, Ip1, "b"));
        f.Connector2!.Start();
        await f.Connector2.WaitForSyncAsync().WaitAsync(Wait.Guard);
        var revoked = new ConcurrentQueue<TunnelRevoked>();
        f.Gate.TunnelRevoked += revoked.Enqueue;
        await AdmitAsync(f, f.Tokens.Valid(time.GetUtcNow(), uid: Uid1, tags: [Tag]), tags: [Tag1, "EMS2_ZTNA_c"]);
        Assert.NotNull(Assert.Single(f.Gate.LiveTunnels).PendingToken);

        f.Ems2.Put(Tagged(Uid1, Ip1, "d"), push: true);
        await Wait.UntilAsync(() => f.Gate.LiveTunnels.SingleOrDefault()?.Source != PostureSource.Ems);

        var tunnel = Assert.Single(f.Gate.LiveTunnels);
        Assert.Equal((PostureSource.Token, Tag1), (tunnel.Source, tunnel.MatchedTag));
        Assert.Contains(f.Audit.Records, a => a is { Event: "revalidated", Trigger: "EMS2 change", Source: PostureSource.Token });
        Assert.Empty(revoked);
    }

    [Fact]
    public async Task TunnelClosedBeforeTheThreshold_IsNotRevoked()
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        f.Ems.Put(Tagged(Uid2, "172.16.200.243", Tag), push: true);
        await Wait.UntilAsync(() => f.Store.For(1).EndpointCount == 2);
        await AdmitAsync(f, instance: "dialup_0");
        await AdmitAsync(f, instance: "dialup_1", uid: Uid2, ip: "172.16.200.243");
        await f.LoseEmsAsync();
        f.Gate.TunnelClosed("dialup_0");

        time.Advance(Threshold);
        await Wait.UntilAsync(() => !revoked.IsEmpty);

        Assert.Equal("dialup_1", Assert.Single(revoked).Instance);
        Assert.Empty(f.Gate.LiveTunnels);
    }

    // The timer's re-check racing deletes and two more re-checks: each tunnel is revoked at most
    // once, every tunnel not closed is revoked, and nothing is left behind.
    [Fact]
    public async Task ReevaluationRacingDeletesAndItself_RevokesEachTunnelAtMostOnce()
    {
        var (time, f, revoked) = await StartAsync();
        await using var _ = f;
        const int Tunnels = 400;
        for (var i = 0; i < Tunnels; i++)
        {
            var uid = ConnectorTagStoreTests.Uid(1000 + i);
            var ip = $"10.1.{i / 250}.{i % 250 + 1}";
            f.Ems.Put(Tagged(uid, ip, Tag), push: true);
        }
        await Wait.UntilAsync(() => f.Store.For(1).EndpointCount == Tunnels + 1);
        for (var i = 0; i < Tunnels; i++)
            await AdmitAsync(f, instance: $"dialup_{i}", uid: ConnectorTagStoreTests.Uid(1000 + i), ip: $"10.1.{i / 250}.{i % 250 + 1}");
        await f.LoseEmsAsync();
        time.Advance(Threshold);

        var closer = Task.Run(() =>
        {
            for (var i = 0; i < Tunnels; i += 2)
                f.Gate.TunnelClosed($"dialup_{i}");
        });
        await Task.WhenAll(closer, f.Gate.ReevaluateOutOfSyncAsync(f.Connector), f.Gate.ReevaluateOutOfSyncAsync(f.Connector));
        // TunnelRevoked is raised after the table lets a tunnel go: wait for the events as well.
        await Wait.UntilAsync(() => f.Gate.LiveTunnels.Count == 0 && revoked.Count >= Tunnels / 2);

        var instances = revoked.Select(r => r.Instance).ToList();
        Assert.Equal(instances.Count, instances.Distinct().Count());
        for (var i = 1; i < Tunnels; i += 2)
            Assert.Contains($"dialup_{i}", instances);
        Assert.All(revoked, r => Assert.Equal(RevocationReasons.EmsCannotVouch, r.Reason));
    }
}
