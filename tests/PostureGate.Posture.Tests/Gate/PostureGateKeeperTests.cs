using System.Net;
using System.Text.Json;
using PostureGate.Admission;
using PostureGate.Posture.Tests.Tags;

namespace PostureGate.Posture.Tests.Gate;

public class PostureGateKeeperTests
{
    private const string Uid1 = "6108A9179A5C40D7BD57504E15114C1F";
    private const string Uid2 = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private const string Tag1 = "EMS1_ZTNA_all_registered_clients";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static EndpointEntry Tagged(string uid, string ip, params string[] tags) => ConnectorTagStoreTests.Endpoint(uid, ip, tags);

    // Seed, Example 1: tagged endpoint admitted, with FortiOS's debug lines in order.
    [Fact]
    public async Task Example1_TaggedEndpoint_IsAllowedByTheEms_WithTheSeedsDebugLines()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        var lines = new List<string>();
        var request = GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242"), ikeId: "172.16.200.242") with { Debug = lines.Add };

        var decision = await f.Gate.EvaluateAsync(request, CancellationToken.None);

        var allow = Assert.IsType<PostureDecision.Allow>(decision);
        Assert.Equal(Tag1, allow.MatchedTag);
        Assert.Equal(PostureSource.Ems, allow.Source);
        Assert.Empty(allow.Notifies);
        Assert.Equal(Uid1, decision.Uid);
        Assert.Equal(lines, decision.DebugLines);
        // What FORTICLIENT_CONNECT says is the IKE layer's to log, as it processes the notify (NotifyDebugText).
        Assert.Equal(["EMS SN check passed", "EMS ZTNA tags check success ZTNA_all_registered_clients"], lines);
        Assert.Single(f.Gate.LiveTunnels);
    }

    [Fact]
    public async Task Example1_UntaggedEndpoint_IsRefusedWithTheFailureNotify()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242"));
        await f.StartSyncedAsync();

        var decision = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")), CancellationToken.None);

        var deny = Assert.IsType<PostureDecision.Deny>(decision);
        Assert.Equal(PrivateNotifies.ZtnaTagsCheckFailure, deny.NotifyType);
        // "Negotiate SA Error" and the notification line are the IKE layer's, as it sends the refusal.
        Assert.Equal(["EMS SN check passed", "EMS ZTNA tags check failure, abort"], decision.DebugLines);
        Assert.Equal(TagCheckResult.NotMatched, Assert.Single(decision.Checks).Result);
        Assert.Empty(f.Gate.LiveTunnels);
    }

    [Fact]
    public async Task TagsAreTriedInOrder_UntilOneResolves()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "10.0.0.7", "b"));
        await f.StartSyncedAsync();
        var decision = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS1_ZTNA_a", "EMS9_ZTNA_b", "EMS1_ZTNA_b"], "198.51.100.9", GateFixture.FctBody(Uid1, "10.0.0.7")), CancellationToken.None);
        var allow = Assert.IsType<PostureDecision.Allow>(decision);
        Assert.Equal("EMS1_ZTNA_b", allow.MatchedTag);
        Assert.Equal([TagCheckResult.NotMatched, TagCheckResult.Invalid, TagCheckResult.Matched], decision.Checks.Select(c => c.Result));
    }

    [Fact]
    public async Task EndpointsOwnIpDecides_NotTheNatdPublicAddress()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        // Behind NAT: the packet comes from 203.0.113.5; the notify says 172.16.200.242.
        var behindNat = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "203.0.113.5", GateFixture.FctBody(Uid1, "172.16.200.242")), CancellationToken.None);
        Assert.IsType<PostureDecision.Allow>(behindNat);
    }

    [Fact]
    public async Task AnotherEndpointsAddress_CannotBeBorrowed()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        f.Ems.Put(Tagged(Uid2, "10.9.9.9"));
        await f.StartSyncedAsync();
        // Uid2 claims Uid1's address; the EMS records Uid2 elsewhere.
        var decision = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid2, "172.16.200.242")), CancellationToken.None);
        Assert.IsType<PostureDecision.Deny>(decision);
        Assert.Contains("is at 10.9.9.9 in the EMS", decision.Checks[0].Reason);
        // And a UID the EMS has never seen, with a tagged address, is asked live and refused.
        var unknown = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "172.16.200.242")), CancellationToken.None);
        Assert.IsType<PostureDecision.Deny>(unknown);
        Assert.Contains("does not know the endpoint", unknown.Checks[0].Reason);
    }

    // Issue 10 "The gate": a device certificate the peer authenticated with names the UID by itself.
    [Fact]
    public async Task DeviceCertificateUid_Alone_IsJudgedByItsTags()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "10.1.1.1", "all_registered_clients"));
        await f.StartSyncedAsync();

        var decision = await f.Gate.EvaluateAsync(
            GateFixture.Request([Tag1], "10.1.1.1", snCheck: false) with { DeviceCertificateUid = Uid1 }, CancellationToken.None);

        Assert.Equal(Tag1, Assert.IsType<PostureDecision.Allow>(decision).MatchedTag);
        Assert.Equal(Uid1, decision.Uid);
    }

    // Issue 10: the EMS revoked the certificate a live tunnel authenticated with — the tunnel goes though its tag
    // still matches, with an audit line saying why, and the user is told.
    [Fact]
    public async Task ARevokedDeviceCertificate_DeletesItsTunnel_WhateverAdmittedIt()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "10.1.1.1", "all_registered_clients"));
        await f.StartSyncedAsync();
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(
            GateFixture.Request([Tag1], "10.1.1.1", snCheck: false) with { DeviceCertificateUid = Uid1 }, CancellationToken.None));
        TunnelRevoked? revoked = null;
        f.Gate.TunnelRevoked += r => revoked = r;

        f.Gate.CertificateRevoked("dialup", "dialup_0", Uid1, "1A2B", "EMS1 revoked 1 device certificate(s)");

        Assert.Equal(("dialup_0", RevocationReasons.CertificateRevoked), (revoked!.Instance, revoked.Reason));
        Assert.Contains("certificate was revoked", revoked.UserReason!.Text);
        Assert.Empty(f.Gate.LiveTunnels);
        var audit = f.Audit.Records.Last();
        Assert.Equal(("revoked", "revoke", Uid1, "10.1.1.1"), (audit.Event, audit.Outcome, audit.Uid, audit.Ip));
        Assert.Equal($"{RevocationReasons.CertificateRevoked} (serial 1A2B)", audit.Reason);
        Assert.Equal(Tag1, audit.Tag);
    }

    // When FORTICLIENT_CONNECT also names a UID, the two must agree: a proven device cannot lend its
    // certificate to a claim about another endpoint.
    [Fact]
    public async Task DeviceCertificateAndNotifyNamingDifferentUids_AreRefused()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        f.Ems.Put(Tagged(Uid2, "10.9.9.9"));
        await f.StartSyncedAsync();

        var decision = await f.Gate.EvaluateAsync(
            GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")) with { DeviceCertificateUid = Uid2 },
            CancellationToken.None);

        var deny = Assert.IsType<PostureDecision.Deny>(decision);
        Assert.Contains("the UID sources disagree", deny.Reason);
        Assert.Empty(f.Gate.LiveTunnels);
        var agree = await f.Gate.EvaluateAsync(
            GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242"), instance: "dialup_1") with { DeviceCertificateUid = Uid1 },
            CancellationToken.None);
        Assert.IsType<PostureDecision.Allow>(agree);
    }

    // ztna-uid-proof enable: FORTICLIENT_CONNECT's UID is only a claim. A client on an unmanaged
    // device that copies a tagged endpoint's UID into the notify must not pass; the same endpoint
    // with its device certificate does.
    [Fact]
    public async Task RequireProvenUid_RefusesAClaimedUid_AndAdmitsTheCertificatesUid()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        static PostureRequest Proof(PostureRequest r) => r with { Match = r.Match with { RequireProvenUid = true } };

        var claimed = await f.Gate.EvaluateAsync(
            Proof(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242"), snCheck: false)),
            CancellationToken.None);

        var deny = Assert.IsType<PostureDecision.Deny>(claimed);
        Assert.Equal(PrivateNotifies.ZtnaTagsCheckFailure, deny.NotifyType);
        Assert.Contains("the UID is not proven", deny.Reason);
        Assert.Empty(f.Gate.LiveTunnels);

        var proven = await f.Gate.EvaluateAsync(
            Proof(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242"), snCheck: false, instance: "dialup_1"))
                with { DeviceCertificateUid = Uid1 },
            CancellationToken.None);
        Assert.Equal(Tag1, Assert.IsType<PostureDecision.Allow>(proven).MatchedTag);
    }

    // Issue 10 finding 2: without FORTICLIENT_CONNECT the IKE ID's address, then the source
    // address, stood in for the endpoint — anyone with VPN credentials could claim a tagged
    // endpoint's address. Now no UID means no tunnel, whatever the address.
    [Fact]
    public async Task WithoutTheNotify_NeitherIkeIdNorSourceAddressAdmits_TheReasonSaysTheUidIsMissing()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "10.1.1.1", "all_registered_clients"));
        await f.StartSyncedAsync();

        var byIkeId = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "203.0.113.5", snCheck: false, ikeId: "10.1.1.1"), CancellationToken.None);
        var bySource = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "10.1.1.1", snCheck: false, instance: "dialup_1"), CancellationToken.None);

        foreach (var decision in new[] { byIkeId, bySource })
        {
            var deny = Assert.IsType<PostureDecision.Deny>(decision);
            Assert.Equal(PrivateNotifies.ZtnaTagsCheckFailure, deny.NotifyType);
            Assert.StartsWith("EMS ZTNA tags check failed: FortiClient UID missing: no FORTICLIENT_CONNECT", deny.Reason, StringComparison.Ordinal);
            Assert.Contains(decision.DebugLines, l => l.StartsWith("FortiClient UID missing", StringComparison.Ordinal));
            Assert.Equal("EMS ZTNA tags check failure, abort", decision.DebugLines[^1]);
        }
        Assert.Empty(f.Gate.LiveTunnels);
        Assert.Equal(0, f.Ems.Lookups);
        var audit = f.Audit.Records.Where(r => r.Event == "decision").ToList();
        Assert.Equal(2, audit.Count);
        Assert.All(audit, r => Assert.Contains("FortiClient UID missing", r.Reason));
        // explain, asked about an address no endpoint is known at, says the same.
        f.Gate.ConfigureTunnel("dialup", new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = [Tag1] });
        var explained = Assert.Single(f.Gate.Explain("10.1.1.9", "dialup").Tunnels);
        Assert.Equal("deny", explained.Verdict);
        Assert.Contains("FortiClient UID missing", explained.Reason);
    }

    // Issue 10 finding 4: a decision that outlived its IKE SA wrote its record under the name the
    // next client held; now the SA's cancelled token means nothing is admitted.
    [Fact]
    public async Task LateDecisionOfAGoneSa_DoesNotOverwriteTheNextHoldersRecord()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        f.Ems.Put(Tagged(Uid2, "172.16.200.243", "all_registered_clients"));
        await f.StartSyncedAsync();
        var next = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.243", GateFixture.FctBody(Uid2, "172.16.200.243")), CancellationToken.None);
        Assert.IsType<PostureDecision.Allow>(next);
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        var late = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")), gone.Token);

        Assert.Equal(PostureGateKeeper.AbandonedReason, Assert.IsType<PostureDecision.Deny>(late).Reason);
        var live = Assert.Single(f.Gate.LiveTunnels);
        Assert.Equal(("dialup_0", Uid2), (live.Instance, live.Uid));
    }

    [Fact]
    public async Task EmsSnCheck_WrongOrMissingSerial_IsRefused()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        var wrong = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242", serial: "FCTEMS0000000000")), CancellationToken.None);
        var deny = Assert.IsType<PostureDecision.Deny>(wrong);
        Assert.Equal(PostureGateKeeper.AuthenticationFailed, deny.NotifyType);
        Assert.Contains("EMS SN check failed", deny.Reason);
        Assert.DoesNotContain("EMS SN check passed", wrong.DebugLines);
        var none = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242", serial: null!)), CancellationToken.None);
        Assert.Contains("no EMS SN received", Assert.IsType<PostureDecision.Deny>(none).Reason);
        // Issue 13: what the (authenticated) user is told, beside AUTHENTICATION_FAILED.
        Assert.Equal(new PostureReason(PostureReasonCode.EmsSerial, "tunnel dialup does not trust EMS FCTEMS0000000000: register this device with the EMS the gateway uses"), deny.UserReason);
        Assert.Equal(PostureReasonCode.EmsSerial, Assert.IsType<PostureDecision.Deny>(none).UserReason?.Code);
        Assert.Contains("named no EMS: connect with --ems", Assert.IsType<PostureDecision.Deny>(none).UserReason?.Text);
    }

    [Fact]
    public async Task MalformedNotify_IsRefused_NotIgnored()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        var junk = "UID=F8A6\nIP=172.16.200.242\n"u8.ToArray();
        // Even from the tagged endpoint's own address.
        var decision = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", junk, snCheck: false), CancellationToken.None);
        var deny = Assert.IsType<PostureDecision.Deny>(decision);
        Assert.Contains("FortiClient UID missing: FORTICLIENT_CONNECT is malformed (BadUid", deny.Reason);
        Assert.Contains(decision.DebugLines, l => l.StartsWith("FortiClient UID missing: FORTICLIENT_CONNECT is malformed (BadUid"));
        Assert.Empty(f.Gate.LiveTunnels);
    }

    // Seed, Example 2: EMS unreachable, the client's JWT decides.
    [Fact]
    public async Task Example2_EmsDown_ValidTokenAdmits_WithTheSeedsDebugLines()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        f.Connector.Start();
        var token = f.Tokens.Valid(DateTimeOffset.UtcNow, uid: Uid2);
        var decision = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token), CancellationToken.None);

        var allow = Assert.IsType<PostureDecision.Allow>(decision);
        Assert.Equal(PostureSource.Token, allow.Source);
        Assert.Equal("EMS3_ZTNA_a", allow.MatchedTag);
        Assert.Equal(PrivateNotifies.EmsZtnaTagsCheckSuccess, Assert.Single(allow.Notifies).Type);
        Assert.Equal(["EMS ZTNA token tags check success ZTNA_a", "send EMS_ZTNA_TAGS_CHECK_SUCCESS"], decision.DebugLines.TakeLast(2));
        Assert.Equal(TagCheckResult.Unreachable, decision.Checks[0].Result);
        var audit = f.Audit.Records.Last();
        Assert.Equal(PostureSource.Token, audit.Source);
        Assert.Equal(Uid2, audit.Uid);
    }

    // Issue 11: the seed's token shape — no kid, a classification tag "Low" of type 3 — admits
    // by a ZTNA tag or by the classification tag, each under its own FortiOS name.
    [Fact]
    public async Task Example2_EmsDown_KidlessSeedShapedToken_AdmitsByZtnaOrClassificationTag()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        f.Connector.Start();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = f.Tokens.Sign("""{"alg":"RS256","typ":"JWT"}""",
            $$"""{"endpoint":{"uid":"{{Uid2}}","tags":[{"name":"a","type":1,"levl":null},{"name":"Low","type":3,"levl":null}],"nwifs":null,"ztna_cert_sn":"B09D97178121B588ED3055137577522C7B689B79","owner":null},"exp":{{now + 3600}},"iat":{{now}}}""");

        var byZtna = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token), CancellationToken.None);
        var byClass = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_Low", "EMS3_CLASS_Low"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token, instance: "dialup_1"), CancellationToken.None);

        Assert.Equal(("EMS3_ZTNA_a", PostureSource.Token), (Assert.IsType<PostureDecision.Allow>(byZtna).MatchedTag, byZtna is PostureDecision.Allow a ? a.Source : default));
        var allow = Assert.IsType<PostureDecision.Allow>(byClass);
        Assert.Equal("EMS3_CLASS_Low", allow.MatchedTag);
        Assert.Contains("EMS ZTNA token tags check success CLASS_Low", byClass.DebugLines);
    }

    [Fact]
    public async Task Example2_EmsDown_BadTokenIsRefused()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        var token = f.Tokens.Valid(DateTimeOffset.UtcNow, uid: Uid2);
        var parts = token.Split('.');
        var tampered = parts[0] + "." + TestTokens.B64(TestTokens.Payload(Uid2, ["a", "admin"], DateTimeOffset.UtcNow.ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60)) + "." + parts[2];
        var decision = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), tampered), CancellationToken.None);
        var deny = Assert.IsType<PostureDecision.Deny>(decision);
        Assert.Contains("token refused: BadSignature", deny.Reason);
        Assert.Contains("EMS ZTNA tags check failure, abort", decision.DebugLines);
    }

    [Fact]
    public async Task EmsDown_TokenWithoutFctTags_OrForAnotherUid_IsRefused()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        var token = f.Tokens.Valid(DateTimeOffset.UtcNow, uid: Uid2);
        var noFlag = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197", fctTags: false), token), CancellationToken.None);
        Assert.Contains("FCTTAGS=1", Assert.IsType<PostureDecision.Deny>(noFlag).Reason);
        var otherUid = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid1, "10.160.1.197"), token), CancellationToken.None);
        Assert.Contains("UidMismatch", Assert.IsType<PostureDecision.Deny>(otherUid).Reason);
        var wrongTag = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_b"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token), CancellationToken.None);
        Assert.IsType<PostureDecision.Deny>(wrongTag);
    }

    [Fact]
    public async Task EmsThatSaysNo_IsNotOverruledByAToken()
    {
        await using var f = new GateFixture(connectorId: 3);
        f.Ems.Put(Tagged(Uid2, "10.160.1.197"));
        await f.StartSyncedAsync();
        var token = f.Tokens.Valid(DateTimeOffset.UtcNow, uid: Uid2);
        var decision = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token), CancellationToken.None);
        Assert.IsType<PostureDecision.Deny>(decision);
        Assert.DoesNotContain(decision.DebugLines, l => l.StartsWith("EMS ZTNA token tags check", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlowEms_PastCallTimeout_TheTokenDecides()
    {
        await using var f = new GateFixture(connectorId: 3, callTimeout: TimeSpan.FromMilliseconds(200), delay: TimeSpan.FromMinutes(5));
        f.Connector.Start();
        var token = f.Tokens.Valid(DateTimeOffset.UtcNow, uid: Uid2);
        var decision = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token), CancellationToken.None).WaitAsync(Guard);
        var allow = Assert.IsType<PostureDecision.Allow>(decision);
        Assert.Equal(PostureSource.Token, allow.Source);
        Assert.Contains("call-timeout", decision.Checks[0].Reason);
        // Without a token the slow EMS means refusal, never a match.
        var noToken = await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197")), CancellationToken.None).WaitAsync(Guard);
        Assert.IsType<PostureDecision.Deny>(noToken);
    }

    // Issue 11: with call-timeout 30 s (FortiOS's default) the decision waited for the EMS past the
    // IKE deadline and the client was refused "timed out". Now the EMS has the decision budget;
    // then the token decides, and without one the refusal says the EMS was too slow.
    [Fact]
    public async Task SlowEms_PastTheDecisionBudget_TheTokenDecides_OrTheRefusalSaysTooSlow_AndTheLateAnswerChangesNothing()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var f = new GateFixture(connectorId: 3, callTimeout: TimeSpan.FromSeconds(30), time: time);
        f.Ems.Put(Tagged(Uid2, "10.160.1.197"));
        f.Ems.HoldLookups = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var token = f.Tokens.Valid(time.GetUtcNow(), uid: Uid2);
        var withToken = f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token), CancellationToken.None);
        var withoutToken = f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), instance: "dialup_1"), CancellationToken.None);
        await Wait.UntilAsync(() => f.Ems.Lookups == 2);
        Assert.False(withToken.IsCompleted || withoutToken.IsCompleted);

        time.Advance(PostureGateKeeper.DefaultDecisionBudget);

        var allow = Assert.IsType<PostureDecision.Allow>(await withToken.WaitAsync(Guard));
        Assert.Equal(PostureSource.Token, allow.Source);
        Assert.Contains("too slow, no answer within the posture decision budget (10 s)", allow.Checks[0].Reason);
        var deny = Assert.IsType<PostureDecision.Deny>(await withoutToken.WaitAsync(Guard));
        Assert.Equal(PrivateNotifies.ZtnaTagsCheckFailure, deny.NotifyType);
        Assert.Equal("EMS ZTNA tags check failed: EMS3 unreachable: too slow, no answer within the posture decision budget (10 s), and no ZTNA token to decide instead", deny.Reason);

        // The EMS answers at last (the endpoint holds no tag): it reaches no decision and no cache.
        f.Ems.HoldLookups.SetResult();
        await Task.Delay(100);
        var live = Assert.Single(f.Gate.LiveTunnels);
        Assert.Equal(("dialup_0", PostureSource.Token), (live.Instance, live.Source));
        Assert.Equal(0, f.Store.For(3).EndpointCount);
    }

    [Fact]
    public async Task EmsBack_Resyncs_AndDecidesAgain()
    {
        await using var f = new GateFixture(down: true);
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        f.Connector.Start();
        var whileDown = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")), CancellationToken.None);
        Assert.Equal(TagCheckResult.Unreachable, whileDown.Checks[0].Result);
        Assert.IsType<PostureDecision.Deny>(whileDown);

        f.Ems.Down = false;
        await f.Connector.WaitForSyncAsync().WaitAsync(Guard);
        Assert.Equal(ConnectorState.Synced, f.Connector.State);
        var lookupsBefore = f.Ems.Lookups;
        var back = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")), CancellationToken.None);
        Assert.Equal(PostureSource.Ems, Assert.IsType<PostureDecision.Allow>(back).Source);
        Assert.Equal(lookupsBefore, f.Ems.Lookups);

        // Lost after being synced, then back: a full resync.
        f.Ems.Down = true;
        f.Ems.DropStream();
        await Wait.UntilAsync(() => f.Connector.State == ConnectorState.Lost);
        f.Ems.Down = false;
        await f.Connector.WaitForSyncAsync().WaitAsync(Guard);
        Assert.Equal(1, f.Connector.Resyncs);
    }

    [Fact]
    public async Task LostEms_CacheServesWithinThreshold_NotAfter()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var f = new GateFixture(time: time);
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        f.Ems.Down = true;
        f.Ems.DropStream();
        await Wait.UntilAsync(() => f.Connector.State == ConnectorState.Lost);

        time.Advance(TimeSpan.FromSeconds(179));
        var cached = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")), CancellationToken.None);
        Assert.Equal(PostureSource.Cache, Assert.IsType<PostureDecision.Allow>(cached).Source);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(f.Connector.CacheUsable);
        var stale = await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242"), instance: "dialup_1"), CancellationToken.None);
        Assert.IsType<PostureDecision.Deny>(stale);
        Assert.Equal(TagCheckResult.Unreachable, stale.Checks[0].Result);
    }

    [Fact]
    public async Task TagRemovedByEmsPush_RevokesTheTunnel()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        f.Ems.Put(Tagged(Uid2, "172.16.200.243", "all_registered_clients"));
        await f.StartSyncedAsync();
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242"), instance: "dialup_0"), CancellationToken.None));
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.243", GateFixture.FctBody(Uid2, "172.16.200.243"), instance: "dialup_1"), CancellationToken.None));
        var revoked = new TaskCompletionSource<TunnelRevoked>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Gate.TunnelRevoked += r => revoked.TrySetResult(r);

        f.Ems.Put(Tagged(Uid1, "172.16.200.242"), push: true);

        var r = await revoked.Task.WaitAsync(Guard);
        Assert.Equal("dialup_0", r.Instance);
        Assert.Equal(Uid1, r.Uid);
        Assert.Equal(["dialup_1"], f.Gate.LiveTunnels.Select(t => t.Instance));
        Assert.Contains(f.Audit.Records, a => a.Event == "revoked" && a.Instance == "dialup_0");
    }

    [Fact]
    public async Task PushThatKeepsTheTag_DoesNotRevoke()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request([Tag1], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")), CancellationToken.None));
        var revoked = 0;
        f.Gate.TunnelRevoked += _ => Interlocked.Increment(ref revoked);
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Store.Changed += _ => applied.TrySetResult();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients", "extra"), push: true);
        await applied.Task.WaitAsync(Guard);
        Assert.Equal(0, revoked);
        Assert.Single(f.Gate.LiveTunnels);
    }

    [Fact]
    public async Task TokenUpdate_WithoutTheTag_RevokesATokenAdmittedTunnel()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        var now = DateTimeOffset.UtcNow;
        var first = f.Tokens.Valid(now, uid: Uid2, iat: now.ToUnixTimeSeconds() - 10);
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), first, instance: "FCT_EMS_TAG_ph2_0"), CancellationToken.None));
        var revoked = new List<TunnelRevoked>();
        f.Gate.TunnelRevoked += revoked.Add;

        var stillTagged = await f.Gate.OnTokenUpdateAsync("FCT_EMS_TAG_ph2_0", System.Text.Encoding.ASCII.GetBytes(f.Tokens.Valid(now, uid: Uid2, tags: ["a"], iat: now.ToUnixTimeSeconds() - 5)));
        Assert.True(stillTagged.IsValid);
        Assert.Empty(revoked);
        var stale = await f.Gate.OnTokenUpdateAsync("FCT_EMS_TAG_ph2_0", System.Text.Encoding.ASCII.GetBytes(f.Tokens.Valid(now, uid: Uid2, tags: ["a"], iat: now.ToUnixTimeSeconds() - 20)));
        Assert.Equal(TokenRefusal.OlderThanAccepted, stale.Refusal);
        Assert.Empty(revoked);

        var untagged = await f.Gate.OnTokenUpdateAsync("FCT_EMS_TAG_ph2_0", System.Text.Encoding.ASCII.GetBytes(f.Tokens.Valid(now, uid: Uid2, tags: ["Low"])));
        Assert.True(untagged.IsValid);
        Assert.Equal("FCT_EMS_TAG_ph2_0", Assert.Single(revoked).Instance);
        Assert.Empty(f.Gate.LiveTunnels);
    }

    [Fact]
    public async Task ExpiredToken_WithTheEmsStillAway_IsRevokedByTheSweep()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var f = new GateFixture(connectorId: 3, down: true, time: time);
        var now = time.GetUtcNow();
        var token = f.Tokens.Valid(now, uid: Uid2, exp: now.ToUnixTimeSeconds() + 600);
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(GateFixture.Request(["EMS3_ZTNA_a"], "10.160.1.197", GateFixture.FctBody(Uid2, "10.160.1.197"), token), CancellationToken.None));
        var revoked = new List<TunnelRevoked>();
        f.Gate.TunnelRevoked += revoked.Add;
        f.Gate.SweepTokens();
        Assert.Empty(revoked);
        time.Advance(TimeSpan.FromSeconds(601));
        f.Gate.SweepTokens();
        Assert.Contains("expired", Assert.Single(revoked).Reason);
    }

    [Fact]
    public void PickFindsTheFirstOfEachPrivateNotify()
    {
        var (fct, token) = PrivateNotifies.Pick([(16384, [1]), (PrivateNotifies.ZtnaTag, [2]), (PrivateNotifies.FortiClientConnect, [3]), (PrivateNotifies.FortiClientConnect, [4])]);
        Assert.Equal([3], fct!.Value.ToArray());
        Assert.Equal([2], token!.Value.ToArray());
        var (none, noToken) = PrivateNotifies.Pick([]);
        Assert.Null(none);
        Assert.Null(noToken);
    }

    [Fact]
    public async Task ValidateGateway_UsesTheConfiguredTunnelsSettings()
    {
        await using var f = new GateFixture(down: true);
        f.Gate.ConfigureTunnel("dialup", new RemoteGwMatch { Mode = RemoteGwMatchMode.IpMask, Subnet = IPAddress.Parse("172.16.200.0"), SubnetPrefixLength = 24 });
        Assert.True(f.Gate.ValidateGateway("dialup", new IPEndPoint(IPAddress.Parse("172.16.200.242"), 500), out _));
        Assert.False(f.Gate.ValidateGateway("dialup", new IPEndPoint(IPAddress.Parse("172.16.201.242"), 500), out var reason));
        Assert.NotNull(reason);
        Assert.True(f.Gate.ValidateGateway("unknown", new IPEndPoint(IPAddress.Parse("172.16.201.242"), 500), out _));
    }

    [Fact]
    public async Task NonZtnaTunnel_IsAllowedWithoutPostureWork()
    {
        await using var f = new GateFixture(down: true);
        var request = GateFixture.Request([], "198.51.100.1") with { Match = RemoteGwMatch.Any };
        var decision = await f.Gate.EvaluateAsync(request, CancellationToken.None);
        Assert.Equal(PostureSource.None, Assert.IsType<PostureDecision.Allow>(decision).Source);
        Assert.Equal(0, f.Ems.Lookups);
    }

    [Fact]
    public async Task Audit_IsOneJsonLinePerDecision_WithEachTagsReason()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "b"));
        await f.StartSyncedAsync();
        await f.Gate.EvaluateAsync(GateFixture.Request(["EMS1_ZTNA_a", "EMS1_ZTNA_b"], "172.16.200.242", GateFixture.FctBody(Uid1, "172.16.200.242")), CancellationToken.None);
        var record = Assert.Single(f.Audit.Records);
        var line = record.ToJsonLine();
        Assert.DoesNotContain('\n', line);
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.Equal("decision", root.GetProperty("event").GetString());
        Assert.Equal("allow", root.GetProperty("outcome").GetString());
        Assert.Equal("ems", root.GetProperty("source").GetString());
        Assert.Equal("EMS1_ZTNA_b", root.GetProperty("tag").GetString());
        Assert.Equal(Uid1, root.GetProperty("uid").GetString());
        Assert.Equal("u1", root.GetProperty("user").GetString());
        Assert.Equal("dialup", root.GetProperty("tunnel").GetString());
        Assert.Equal("172.16.200.242:4500", root.GetProperty("peer").GetString());
        var tags = root.GetProperty("tags");
        Assert.Equal(2, tags.GetArrayLength());
        Assert.Equal("not_matched", tags[0].GetProperty("result").GetString());
        Assert.Contains("does not hold a", tags[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Explain_SaysWhatWouldHappenAndWhy()
    {
        await using var f = new GateFixture();
        f.Ems.Put(Tagged(Uid1, "172.16.200.242", "all_registered_clients"));
        await f.StartSyncedAsync();
        f.Gate.ConfigureTunnel("dialup", new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = [Tag1] });
        f.Gate.ConfigureTunnel("open", RemoteGwMatch.Any);

        var byIp = f.Gate.Explain("172.16.200.242", "dialup");
        Assert.Equal("allow", Assert.Single(byIp.Tunnels).Verdict);
        var byUid = f.Gate.Explain(Uid1.ToLowerInvariant());
        Assert.Equal("172.16.200.242", byUid.Ip);
        Assert.Equal(["allow", "allow"], byUid.Tunnels.Select(t => t.Verdict));
        var other = f.Gate.Explain("172.16.200.9", "dialup");
        Assert.Equal("deny", other.Tunnels[0].Verdict);
        Assert.Contains("tunnel dialup: allow", byIp.ToText());
        Assert.Contains(Tag1 + ": matched", byIp.ToText());
        Assert.Empty(f.Ems.Lookups == 0 ? [] : new[] { "explain must not query the EMS" });
    }

    [Fact]
    public async Task Explain_WhenTheEmsIsDown_SaysTheTokenDecides()
    {
        await using var f = new GateFixture(down: true);
        f.Gate.ConfigureTunnel("dialup", new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = [Tag1] });
        var e = f.Gate.Explain(Uid1);
        Assert.Equal("token-decides", e.Tunnels[0].Verdict);
        Assert.Contains("never synced", e.Tunnels[0].Tags[0].Reason);
    }

}
