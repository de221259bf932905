// The connector against a real PostureGate EMS in-process (HTTPS, pinned certificate, API key).
using System.Net;
using System.Text;
using PostureGate.Admission;

namespace PostureGate.Posture.Tests.Ems;

public class EmsConnectorEmsTests
{
    private const string Uid1 = "6108A9179A5C40D7BD57504E15114C1F";
    private const string Uid2 = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static uint V4(string ip) => Ipv4Address.TryToUInt32(IPAddress.Parse(ip), out var v) ? v : 0;


    [Fact]
    public async Task Example1_EndToEnd_SyncAdmitThenPushRevokes()
    {
        await using var ems = await RealEms.StartAsync();
        ems.Register(Uid1, "172.16.200.242");
        // all_registered_clients comes from the EMS's built-in rule; corp is assigned by hand.
        ems.Tag(Uid1, "corp");
        var store = new TagStore();
        var keys = new PinnedKeyStore();
        var settings = ems.Connector();
        await using var connector = new EmsConnector(settings, store.For(1), keys);
        connector.Start();
        await connector.WaitForSyncAsync().WaitAsync(Guard);

        Assert.True(store.For(1).Resolves("all_registered_clients", V4("172.16.200.242")));
        Assert.True(keys.CountFor(1) >= 1);
        Assert.True(store.For(1).TryGetByUid(Uid1, out var entry));
        Assert.Equal(ems.Server.SerialNumber, entry.EmsSerial);
        Assert.Equal(IPAddress.Parse("203.0.113.5"), entry.PublicIp);
        Assert.Contains("ADDR(172.16.200.242)", DynamicListFormatter.Format(DynamicListFormatter.Select(store, "EMS1_ZTNA_all_registered_clients")));

        using var gate = new PostureGateKeeper(store, [connector], new ZtnaTokenVerifier(keys));
        var fct = FortiClientConnectBody.Build(new FortiClientConnectInfo { Uid = Uid1, Ip = IPAddress.Parse("172.16.200.242"), EmsSerial = ems.Server.SerialNumber });
        var request = new PostureRequest
        {
            Tunnel = "dialup",
            Instance = "dialup_0",
            Match = new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = ["EMS1_ZTNA_all_registered_clients"], EmsSnCheck = true },
            Peer = new IPEndPoint(IPAddress.Parse("203.0.113.5"), 4500),
            FortiClientConnect = fct,
        };
        var allow = Assert.IsType<PostureDecision.Allow>(await gate.EvaluateAsync(request, CancellationToken.None));
        Assert.Equal(PostureSource.Ems, allow.Source);
        Assert.Contains("EMS ZTNA tags check success ZTNA_all_registered_clients", allow.DebugLines);

        var corp = request with { Tunnel = "corp", Instance = "corp_0", Match = request.Match with { ZtnaTags = ["EMS1_ZTNA_corp"] } };
        Assert.IsType<PostureDecision.Allow>(await gate.EvaluateAsync(corp, CancellationToken.None));

        var revoked = new TaskCompletionSource<TunnelRevoked>(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.TunnelRevoked += r => revoked.TrySetResult(r);
        ems.Untag(Uid1, "corp");
        var r = await revoked.Task.WaitAsync(Guard);
        Assert.Equal("corp_0", r.Instance);
        Assert.False(store.For(1).Resolves("corp", V4("172.16.200.242")));
        Assert.Equal(["dialup_0"], gate.LiveTunnels.Select(t => t.Instance));
        Assert.True(store.For(1).Version > 0);
    }

    /// <summary>
    /// Issue 10: `pgate ems endpoint revoke` reaches a following connector as `certificate.revoked` (named at once,
    /// under the endpoint CA's key), and a connector that syncs later learns it from the snapshot.
    /// </summary>
    [Fact]
    public async Task ARevokedDeviceCertificate_ReachesTheConnector_ByPushAndBySnapshot()
    {
        await using var ems = await RealEms.StartAsync();
        using var device = await ems.EnrollAsync(Uid1);
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(ems.Server.EndpointCaPem);
        var caSpki = ca.PublicKey.ExportSubjectPublicKeyInfo();
        await using var connector = new EmsConnector(ems.Connector(), new TagStore().For(1), new PinnedKeyStore());
        var pushed = new TaskCompletionSource<IReadOnlyList<RevokedCertificate>>(TaskCreationOptions.RunContinuationsAsynchronously);
        connector.CertificatesRevoked += (_, revoked) => pushed.TrySetResult(revoked);
        connector.Start();
        await connector.WaitForSyncAsync().WaitAsync(Guard);
        Assert.False(connector.Revocations.IsRevoked(caSpki, device.SerialNumber));

        Assert.True(ems.Server.Store.RevokeEndpoint(Uid1).Succeeded);

        var revoked = Assert.Single(await pushed.Task.WaitAsync(Guard));
        Assert.Equal(Uid1, revoked.Uid);
        Assert.True(connector.Revocations.IsRevoked(caSpki, device.SerialNumber));
        Assert.False(connector.Revocations.IsRevoked(RandomSpki(), device.SerialNumber));
        await using var later = new EmsConnector(ems.Connector(id: 2), new TagStore().For(2), new PinnedKeyStore());
        later.Start();
        await later.WaitForSyncAsync().WaitAsync(Guard);
        Assert.True(later.Revocations.IsRevoked(caSpki, device.SerialNumber));
        Assert.Equal(Uid1, later.Revocations.UidOf(device.SerialNumber));
    }

    private static byte[] RandomSpki()
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return other.ExportSubjectPublicKeyInfo();
    }

    [Fact]
    public async Task LiveLookup_FindsAnEndpointRegisteredAfterTheSnapshot()
    {
        await using var ems = await RealEms.StartAsync();
        var store = new TagStore();
        await using var connector = new EmsConnector(ems.Connector(), store.For(1), new PinnedKeyStore());
        var byUid = await connector.LookupByUidAsync(Uid2, CancellationToken.None);
        Assert.Equal(EmsStatus.NotFound, byUid.Status);
        ems.Register(Uid2, "10.160.1.197");
        ems.Tag(Uid2, "a");
        byUid = await connector.LookupByUidAsync(Uid2, CancellationToken.None);
        Assert.Equal(EmsStatus.Ok, byUid.Status);
        Assert.True(byUid.Value!.HasTag("a"));
        var byIp = await connector.LookupByIpAsync(IPAddress.Parse("10.160.1.197"), CancellationToken.None);
        Assert.Equal(Uid2, byIp.Value!.Uid);
        // A found endpoint refreshes the cache.
        Assert.True(store.For(1).Resolves("a", V4("10.160.1.197")));
    }

    [Fact]
    public async Task EmsStopped_RealBoundToken_AdmitsOnlyThePeerThatProvedItsCertificate()
    {
        await using var ems = await RealEms.StartAsync();
        ems.Register(Uid2, "10.160.1.197");
        ems.Tag(Uid2, "a");
        var (token, certificateDer) = await ems.BoundTokenAsync(Uid2);
        var keys = new PinnedKeyStore();
        var store = new TagStore();
        await using var connector = new EmsConnector(ems.Connector(id: 3, threshold: TimeSpan.Zero), store.For(3), keys);
        connector.Start();
        await connector.WaitForSyncAsync().WaitAsync(Guard);
        var serial = ems.Server.SerialNumber;
        await ems.StopAsync();
        await Wait.UntilAsync(() => connector.State == ConnectorState.Lost);
        using var gate = new PostureGateKeeper(store, [connector], new ZtnaTokenVerifier(keys));
        var fct = FortiClientConnectBody.Build(new FortiClientConnectInfo { Uid = Uid2, Ip = IPAddress.Parse("10.160.1.197"), EmsSerial = serial, SendsTagToken = true });
        PostureRequest Request(string instance, byte[]? proven) => new()
        {
            Tunnel = "FCT_EMS_TAG_ph2",
            Instance = instance,
            Match = new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = ["EMS3_ZTNA_a"], EmsSnCheck = true, RequireTokenBinding = true },
            Peer = new IPEndPoint(IPAddress.Parse("10.160.1.197"), 55846),
            FortiClientConnect = fct,
            ZtnaToken = Encoding.ASCII.GetBytes(token),
            DeviceCertificateUid = proven is null ? null : Uid2,
            ProvenCertificateSha256 = proven,
        };

        var copied = await gate.EvaluateAsync(Request("FCT_EMS_TAG_ph2_0", null), CancellationToken.None);
        var owner = await gate.EvaluateAsync(Request("FCT_EMS_TAG_ph2_1", System.Security.Cryptography.SHA256.HashData(certificateDer)), CancellationToken.None);

        Assert.Equal("EMS ZTNA tags check failed: token refused: BindingMismatch", Assert.IsType<PostureDecision.Deny>(copied).Reason);
        Assert.Equal(PostureSource.Token, Assert.IsType<PostureDecision.Allow>(owner).Source);
    }

    [Fact]
    public async Task Example2_EndToEnd_EmsStopped_RealTokenAdmits()
    {
        await using var ems = await RealEms.StartAsync();
        ems.Register(Uid2, "10.160.1.197");
        ems.Tag(Uid2, "a");
        var token = await ems.TokenAsync(Uid2);
        var store = new TagStore();
        var keys = new PinnedKeyStore();
        await using var connector = new EmsConnector(ems.Connector(id: 3, threshold: TimeSpan.Zero), store.For(3), keys);
        connector.Start();
        await connector.WaitForSyncAsync().WaitAsync(Guard);
        var serial = ems.Server.SerialNumber;
        var port = ems.Port;
        await ems.StopAsync();
        await Wait.UntilAsync(() => connector.State == ConnectorState.Lost);

        using var gate = new PostureGateKeeper(store, [connector], new ZtnaTokenVerifier(keys));
        var fct = FortiClientConnectBody.Build(new FortiClientConnectInfo { Uid = Uid2, Ip = IPAddress.Parse("10.160.1.197"), EmsSerial = serial, SendsTagToken = true });
        var request = new PostureRequest
        {
            Tunnel = "FCT_EMS_TAG_ph2",
            Instance = "FCT_EMS_TAG_ph2_0",
            Match = new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = ["EMS3_ZTNA_a"], EmsSnCheck = true },
            Peer = new IPEndPoint(IPAddress.Parse("10.160.1.197"), 55846),
            FortiClientConnect = fct,
            ZtnaToken = Encoding.ASCII.GetBytes(token),
        };
        var allow = Assert.IsType<PostureDecision.Allow>(await gate.EvaluateAsync(request, CancellationToken.None));
        Assert.Equal(PostureSource.Token, allow.Source);
        Assert.Contains("EMS ZTNA token tags check success ZTNA_a", allow.DebugLines);
        Assert.Contains("send EMS_ZTNA_TAGS_CHECK_SUCCESS", allow.DebugLines);

        // The EMS comes back on the same address: the connector resyncs by itself.
        await ems.RestartAsync(port);
        await connector.WaitForSyncAsync().WaitAsync(Guard);
        Assert.Equal(ConnectorState.Synced, connector.State);
        Assert.Equal(1, connector.Resyncs);
    }

    [Fact]
    public async Task WrongFingerprint_NeverSyncs_AndLookupsAreUnreachable()
    {
        await using var ems = await RealEms.StartAsync();
        ems.Register(Uid1, "172.16.200.242");
        var wrong = string.Join(':', Enumerable.Repeat("AB", 32));
        await using var connector = new EmsConnector(ems.Connector(fingerprint: wrong), new ConnectorTagStore(1), new PinnedKeyStore());
        connector.Start();
        var lookup = await connector.LookupByUidAsync(Uid1, CancellationToken.None);
        Assert.Equal(EmsStatus.Unreachable, lookup.Status);
        await Wait.UntilAsync(() => connector.LastError is not null);
        Assert.Equal(ConnectorState.Connecting, connector.State);
        Assert.False(connector.CacheUsable);
    }

    [Fact]
    public async Task WrongApiKey_IsUnreachable_NotNotFound()
    {
        await using var ems = await RealEms.StartAsync();
        ems.Register(Uid1, "172.16.200.242");
        await using var connector = new EmsConnector(ems.Connector(apiKey: "not-the-key"), new ConnectorTagStore(1), new PinnedKeyStore());
        var lookup = await connector.LookupByUidAsync(Uid1, CancellationToken.None);
        Assert.Equal(EmsStatus.Unreachable, lookup.Status);
        Assert.Contains("401", lookup.Reason);
    }

    [Fact]
    public async Task FctemsStatus_ShowsStateVersionAndAge()
    {
        await using var ems = await RealEms.StartAsync();
        ems.Register(Uid1, "172.16.200.242");
        var keys = new PinnedKeyStore();
        await using var connector = new EmsConnector(ems.Connector(), new ConnectorTagStore(1), keys);
        connector.Start();
        await connector.WaitForSyncAsync().WaitAsync(Guard);
        var status = FctemsStatusFormatter.Describe([connector], keys);
        var s = Assert.Single(status);
        Assert.Equal("synced", s.State);
        Assert.Equal(connector.Store.Version, s.Version);
        Assert.True(s.Version > 0);
        Assert.Equal(1, s.Endpoints);
        var text = FctemsStatusFormatter.Format(status);
        Assert.Contains("EMS1 (ems):", text);
        Assert.Contains("        state: synced\n", text);
        Assert.Contains($"        last sync version: {s.Version}\n", text);
        Assert.DoesNotContain(ems.GatewayKey, text + FctemsStatusFormatter.FormatJson(status) + connector.Settings.ToString());
    }
}
