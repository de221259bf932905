// ClientSession against the real gateway and EMS (examples/dialup.conf on loopback): the seed's
// outcomes from the client's side and the gateway's, and staying connected (reconnect, token
// re-sent on a tag change, revocation noticed).
using System.Net;
using PostureGate.Cli.Demo;
using PostureGate.Client.Tests.Support;
using PostureGate.Posture;

namespace PostureGate.Client.Tests;

[Collection(LabCollection.Name)]
public class ClientSessionTests
{
    private static readonly IPAddress Pc1 = IPAddress.Parse("172.16.200.242");
    private static readonly IPAddress Pc3 = IPAddress.Parse("10.160.1.197");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RegisteredClientHoldingTheTagGetsDialup0AndTheFirstAddress()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var statusFile = Path.Combine(lab.DataDirectory, "client-status.json");
        await using var client = new ClientSession(lab.ClientFor(Labs.Dialup, uid, Pc1) with { StatusFile = statusFile }, TextWriter.Null);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.True(result.Success, result.Error);
        var written = System.Text.Json.JsonSerializer.Deserialize<ClientStatus>(File.ReadAllText(statusFile))!;
        Assert.Equal(("connected", "10.212.134.200", uid), (written.State, written.VirtualIp, written.Uid));
        Assert.Equal(Labs.DialupFirst, result.VirtualIp);
        Assert.Equal("connected", client.Status.State);
        Assert.Contains("all_registered_clients", client.Status.Tags);
        var sa = Assert.Single(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);
        Assert.Equal("dialup_0", sa.Name);
        Assert.Equal(Labs.DialupFirst, sa.AssignedAddress);
        Assert.True(await lab.Debug.WaitForAsync("EMS ZTNA tags check success ZTNA_all_registered_clients", Bound));
    }

    [Fact]
    public async Task IdiIsTheClientsOwnAddressAndTheEapIdentityTheUser()
    {
        // FortiClient's shape (seed: "peer identifier IPV4_ADDR 172.16.200.242"): the IDi names the device.
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var settings = lab.ClientFor(Labs.Dialup, uid, Pc1);
        await using var client = new ClientSession(settings, TextWriter.Null);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.True(result.Success, result.Error);
        var sa = Assert.Single(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);
        Assert.Equal(("127.0.0.1", settings.User), (sa.PeerId, sa.EapUser));
        Assert.True(await lab.Debug.WaitForAsync("peer identifier IPV4_ADDR 127.0.0.1", Bound));
    }

    [Fact]
    public async Task ClientTheEmsDoesNotKnowIsRefusedWithTheTagsCheckFailure()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var ems = lab.EmsOf(Labs.Dialup);
        var settings = lab.ClientFor(Labs.Dialup, uid, Pc1) with
        {
            Ems = null,
            Registration = new EmsRegistration(uid, ems.SerialNumber, ems.TenantId, [], false, 300),
        };
        await using var client = new ClientSession(settings, TextWriter.Null);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal("failed", client.Status.State);
        Assert.Contains("ZTNA_TAGS_CHECK_FAILURE", client.Status.LastError);
        Assert.DoesNotContain(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);
        Assert.True(await lab.Debug.WaitForAsync("EMS ZTNA tags check failure, abort", Bound));
    }

    [Fact]
    public async Task RegisteredClientWithoutTheTunnelsTagIsRefusedWhileTheEmsAnswers()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        await using var client = new ClientSession(lab.ClientFor(Labs.EmsTag, uid, Pc3), TextWriter.Null);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.False(result.Success);
        Assert.DoesNotContain("a", client.Status.Tags);
        Assert.Contains("all_registered_clients", client.Status.Tags);
        Assert.Contains("ZTNA_TAGS_CHECK_FAILURE", client.Status.LastError);
        Assert.DoesNotContain(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);
        Assert.True(await lab.Debug.WaitForAsync("EMS ZTNA tags check failure, abort", Bound));
        // Issue 13: the refusal says why (POSTURE_REASON beside the error notify), and that is the exit reason.
        var reason = Assert.IsType<PostureReason>(client.GatewayReason);
        Assert.Equal(PostureReasonCode.TagMissing, reason.Code);
        Assert.Equal($"tunnel {Labs.EmsTag} admits devices with tag a; the EMS gives this device ({uid}) none of them: ask your administrator to give it one", reason.Text);
        Assert.EndsWith(reason.Text, client.Status.LastError);
        Assert.Equal(ClientExitCodes.PostureRefused, client.ExitCodeOf(result));
    }

    /// <summary>Issue 13: without --ems the gateway refuses with AUTHENTICATION_FAILED (ems-sn-check), and now says why.</summary>
    [Fact]
    public async Task WithoutAnEms_TheUserIsToldTheTunnelWantsOne()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        await using var client = new ClientSession(lab.ClientFor(Labs.Dialup, uid, Pc1) with { Ems = null }, TextWriter.Null);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.False(result.Success);
        Assert.Equal(new PostureReason(PostureReasonCode.EmsSerial,
            $"tunnel {Labs.Dialup} admits only devices of a trusted EMS, and this client named no EMS: connect with --ems"), client.GatewayReason);
        Assert.Equal($"AUTHENTICATION_FAILED: {client.GatewayReason!.Text}", client.Status.LastError);
        Assert.True(await lab.Debug.WaitForAsync("EMS SN check failed: no EMS SN received", Bound));
    }

    /// <summary>Issue 13: the reason goes only to a peer that authenticated — a wrong PSK or password hears nothing of the posture.</summary>
    [Fact]
    public async Task APeerThatDidNotAuthenticateIsToldNoPostureReason()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var settings = lab.ClientFor(Labs.EmsTag, uid, Pc3);
        await using var wrongPsk = new ClientSession(settings with { Psk = "not the psk"u8.ToArray() }, TextWriter.Null);
        await using var wrongPassword = new ClientSession(settings with { Password = "not the password" }, TextWriter.Null);

        var psk = await wrongPsk.ConnectOnceAsync(CancellationToken.None);
        var password = await wrongPassword.ConnectOnceAsync(CancellationToken.None);

        // The device lacks tag a, so an authenticated peer would have been told so (the test above).
        foreach (var (session, result) in new[] { (wrongPsk, psk), (wrongPassword, password) })
        {
            Assert.False(result.Success);
            Assert.DoesNotContain(result.Notifies, n => n.Type == PrivateNotifies.PostureReason);
            Assert.Null(session.GatewayReason);
            Assert.Equal(ClientExitCodes.ConnectionFailed, session.ExitCodeOf(result));
            Assert.DoesNotContain("admits", session.Status.LastError);
        }
    }

    [Fact]
    public async Task WithTheEmsStoppedAValidTokenAdmitsAndTheClientHearsTheSuccessNotify()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var output = new StringWriter();
        await using var client = new ClientSession(lab.ClientFor(Labs.EmsTag, uid, Pc3), output);
        await Labs.EnrollWithTagAsync(lab, client, Labs.EmsTag, uid, "a");
        await lab.StopEmsAsync(3, CancellationToken.None);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.True(result.Success, client.Status.LastError);
        Assert.Contains(result.Notifies, n => n.Type == PrivateNotifies.EmsZtnaTagsCheckSuccess);
        Assert.Contains("EMS unreachable", output.ToString());
        var sa = Assert.Single(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);
        Assert.Equal("FCT_EMS_TAG_ph2_0", sa.Name);
        Assert.Equal(Labs.EmsTagFirst, sa.AssignedAddress);
        Assert.True(await lab.Debug.WaitForAsync("EMS ZTNA token tags check success ZTNA_a", Bound));
    }

    [Fact]
    public async Task WithTheEmsStoppedATamperedTokenIsRefused()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        await using var enrolled = new ClientSession(lab.ClientFor(Labs.EmsTag, uid, Pc3), TextWriter.Null);
        await Labs.EnrollWithTagAsync(lab, enrolled, Labs.EmsTag, uid, "a");
        var ems = lab.EmsOf(Labs.EmsTag);
        var settings = lab.ClientFor(Labs.EmsTag, uid, Pc3) with
        {
            Ems = null,
            Registration = new EmsRegistration(uid, ems.SerialNumber, ems.TenantId, ["a"], true, 300),
            TokenOverride = SeedDemo.Tamper(enrolled.Token!.Token),
        };
        await lab.StopEmsAsync(3, CancellationToken.None);
        await using var client = new ClientSession(settings, TextWriter.Null);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("ZTNA_TAGS_CHECK_FAILURE", client.Status.LastError);
        Assert.DoesNotContain(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);
        Assert.True(await lab.Debug.WaitForAsync("token refused: BadSignature", Bound));
    }

    // Issue 11 (`--ztna-token-file`): with an EMS the client still registers and reports, and
    // announces its EMS serial and FCTTAGS=1 — but the token it sends is only ever the given one.
    [Fact]
    public async Task WithAGivenToken_TheClientStillRegistersAndSendsTheEmsSerial_ButOnlyThatToken()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var output = new StringWriter();
        await using var client = new ClientSession(lab.ClientFor(Labs.EmsTag, uid, Pc3) with { TokenOverride = "garbage" }, output);
        await Labs.EnrollWithTagAsync(lab, client, Labs.EmsTag, uid, "a");
        Assert.NotNull(client.Token); // the EMS's own token, which would have admitted it
        await lab.StopEmsAsync(3, CancellationToken.None);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("sending the ZTNA token given (7 characters) instead of the EMS's", output.ToString());
        Assert.True(await lab.Debug.WaitForAsync($"received EMS SN : {lab.EmsOf(Labs.EmsTag).SerialNumber}", Bound));
        Assert.True(await lab.Debug.WaitForAsync("FCTTAGS=1", Bound));
        Assert.True(await lab.Debug.WaitForAsync("received ZTNA tags update token (len=7) data=garbage", Bound));
        Assert.True(await lab.Debug.WaitForAsync("token refused: NotThreeParts", Bound));
    }

    [Fact]
    public async Task WithTheEmsStoppedAClientSendingNoTokenIsRefused()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        await using var client = new ClientSession(lab.ClientFor(Labs.EmsTag, uid, Pc3) with { SendToken = false }, TextWriter.Null);
        Assert.True(lab.EmsOf(Labs.EmsTag).Store.SetTokenSettings(true, null, null).Succeeded);
        await client.EnrollAsync(CancellationToken.None);
        Assert.True(lab.EmsOf(Labs.EmsTag).Store.AssignTag("a", uid).Succeeded);
        await lab.StopEmsAsync(3, CancellationToken.None);

        var result = await client.ConnectOnceAsync(CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("ZTNA_TAGS_CHECK_FAILURE", client.Status.LastError);
    }

    [Fact]
    public async Task RunReconnectsAfterTheGatewayClearsTheTunnel()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var output = new StringWriter();
        await using var client = new ClientSession(lab.ClientFor(Labs.Dialup, uid, Pc1) with { Reconnect = true }, output);
        using var stop = new CancellationTokenSource();
        var run = client.RunAsync(stop.Token);
        Assert.True(await Labs.EventuallyAsync(() => client.Status.State == "connected", TimeSpan.FromSeconds(15)), output.ToString());
        var first = Assert.Single(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);

        Assert.Equal(1, lab.Gateway.Ike.Clear());

        Assert.True(await Labs.EventuallyAsync(() => client.Status.State != "connected", TimeSpan.FromSeconds(10)), output.ToString());
        Assert.True(await Labs.EventuallyAsync(() => client.Status.State == "connected", TimeSpan.FromSeconds(15)), output.ToString());
        var second = Assert.Single(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);
        Assert.NotEqual(first.ResponderSpi, second.ResponderSpi);
        Assert.Contains("the gateway deleted the tunnel", output.ToString());
        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.Equal("stopped", client.Status.State);
    }

    [Fact]
    public async Task ATagChangeResendsTheTokenAndARemovedTagEndsTheTunnel()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        var output = new StringWriter();
        await using var client = new ClientSession(lab.ClientFor(Labs.EmsTag, uid, Pc3), output);
        await Labs.EnrollWithTagAsync(lab, client, Labs.EmsTag, uid, "a");
        using var stop = new CancellationTokenSource();
        var run = client.RunAsync(stop.Token);
        Assert.True(await Labs.EventuallyAsync(() => client.Status.State == "connected", TimeSpan.FromSeconds(15)), output.ToString());
        var instance = Assert.Single(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid).Name;
        var store = lab.EmsOf(Labs.EmsTag).Store;
        await lab.Debug.TakeAsync(TimeSpan.FromMilliseconds(100), Bound);

        // A new tag: the client re-fetches its token and sends it in an INFORMATIONAL.
        Assert.True(store.AssignTag("b", uid).Succeeded);
        await client.RefreshAsync(CancellationToken.None);
        Assert.Contains("b", client.Status.Tags);
        Assert.Contains("tags changed", output.ToString());
        Assert.True(await lab.Debug.WaitForAsync($"ike V=root:0:{instance}: received ZTNA tags update token", Bound));

        // Tag a taken away: the gateway (following the EMS) deletes the tunnel; the session notices and, not reconnecting, ends.
        Assert.True(store.UnassignTag("a", uid).Succeeded);
        Assert.True(await Labs.EventuallyAsync(() => !lab.Gateway.Ike.Snapshot().Any(s => s.FortiClientUid == uid), Bound));
        Assert.True(await Labs.EventuallyAsync(() => run.IsCompleted, Bound), output.ToString());
        // Issue 13: an INFORMATIONAL with POSTURE_REASON came before the Delete; it is printed and is the exit reason.
        Assert.Equal(ClientExitCodes.PostureRefused, await run);
        Assert.Contains($"the gateway deleted the tunnel: tunnel {Labs.EmsTag} admits devices with tag a; the EMS no longer gives this device ({uid}) any of them", output.ToString());
        Assert.Equal(PostureReasonCode.TagMissing, client.GatewayReason?.Code);
    }

    /// <summary>`pgate ems endpoint revoke`: the gateway hears it on the change stream and deletes the
    /// device's tunnel; the device's certificate opens nothing at the EMS any more.</summary>
    [Fact]
    public async Task RevokingTheEndpointEndsItsTunnel_AndItsCertificateNoLongerWorks()
    {
        await using var lab = await Labs.StartAsync();
        var uid = Labs.NewUid();
        await using var client = new ClientSession(lab.ClientFor(Labs.Dialup, uid, Pc1), TextWriter.Null);
        var result = await client.ConnectOnceAsync(CancellationToken.None);
        Assert.True(result.Success, result.Error);
        Assert.Single(lab.Gateway.Ike.Snapshot(), s => s.FortiClientUid == uid);

        Assert.True(lab.EmsOf(Labs.Dialup).Store.RevokeEndpoint(uid).Succeeded);

        Assert.True(await Labs.EventuallyAsync(() => !lab.Gateway.Ike.Snapshot().Any(s => s.FortiClientUid == uid), Bound));
        var refused = await Assert.ThrowsAsync<EmsEnrollmentException>(() => client.EnrollAsync(CancellationToken.None));
        Assert.Contains("revoked", refused.Message);
    }
}
