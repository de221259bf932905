// Mutual TLS on the client API (issue 10 finding 1): without the endpoint's certificate nothing
// is read or changed; with it, only that endpoint's own record. Each refusal names its reason
// and leaves the store as it was. Over HTTPS against a running EMS.
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Model;
using static PostureGate.Ems.Tests.Api.EnrollmentApiTests;

namespace PostureGate.Ems.Tests.Api;

public class ClientCertificateGateTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private const string Victim = "0123456789ABCDEF0123456789ABCDEF";

    /// <summary>Before issue 10 anyone could register a UID, overwrite a known UID's IP and facts, and fetch its token.</summary>
    [Fact]
    public async Task WithoutACertificate_RegisterOverwriteTokenAndProfiles_AreRefused()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Victim, ip: "10.160.1.197");
        await TestEms.EnsureSuccess(await ems.Admin.PutAsJsonAsync(EmsApiRoutes.AdminTokenSettings, new { enabled = true }));
        var before = State(ems.Server.Store);
        var facts = EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Victim));

        await AssertProblem(await ems.Client.PostAsJsonAsync(EmsApiRoutes.Register, new { uid = Uid, ip = "10.160.1.50" }), HttpStatusCode.Unauthorized, "client certificate is required");
        await AssertProblem(await ems.Client.PostAsJsonAsync(EmsApiRoutes.Register, new { uid = Victim, ip = "10.160.1.50" }), HttpStatusCode.Unauthorized, "client certificate is required");
        await AssertProblem(await ems.Client.PutAsJsonAsync(facts, new { ip = "10.160.1.50" }), HttpStatusCode.Unauthorized, "client certificate is required");
        await AssertProblem(await ems.Client.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Victim))), HttpStatusCode.Unauthorized, "client certificate is required");
        await AssertProblem(await ems.Client.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Profiles, ("uid", Victim))), HttpStatusCode.Unauthorized, "client certificate is required");

        Assert.Equal(before, State(ems.Server.Store));
        Assert.Equal("10.160.1.197", ems.Server.Store.FindByUid(Victim)!.Ip);
        Assert.Null(ems.Server.Store.FindByUid(Uid));
    }

    [Fact]
    public async Task ACertificateForAnotherUid_CannotReadOrChangeThisRecord()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Victim, ip: "10.160.1.197");
        await ems.RegisterAsync(Uid, ip: "10.160.1.50");
        await TestEms.EnsureSuccess(await ems.Admin.PutAsJsonAsync(EmsApiRoutes.AdminTokenSettings, new { enabled = true }));
        var before = State(ems.Server.Store);
        var attacker = ems.EndpointClient(Uid);

        await AssertProblem(await attacker.PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Victim)), new { ip = "10.160.1.50" }),
            HttpStatusCode.Forbidden, $"this client certificate is for endpoint {Uid}, not {Victim}");
        await AssertProblem(await attacker.PostAsJsonAsync(EmsApiRoutes.Register, new { uid = Victim, ip = "10.160.1.50" }),
            HttpStatusCode.Forbidden, $"this client certificate is for endpoint {Uid}, not {Victim}");
        await AssertProblem(await attacker.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Victim))),
            HttpStatusCode.Forbidden, $"this client certificate is for endpoint {Uid}, not {Victim}");

        Assert.Equal(before, State(ems.Server.Store));
        Assert.Equal("10.160.1.197", ems.Server.Store.FindByUid(Victim)!.Ip);
    }

    [Fact]
    public async Task AnExpiredCertificate_IsRefused()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var ems = await TestEms.StartAsync(time: time);
        await ems.RegisterAsync(Uid);
        time.Advance(EmsOptions.DefaultEndpointCertificateLifetime + TimeSpan.FromMinutes(1));
        var before = State(ems.Server.Store);

        await AssertProblem(await ems.EndpointClient(Uid).PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Uid)), new { ip = "10.160.1.50" }),
            HttpStatusCode.Unauthorized, "the client certificate expired at");
        Assert.Equal(before, State(ems.Server.Store));
    }

    [Fact]
    public async Task ACertificateNotYetValid_IsRefused()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var ems = await TestEms.StartAsync(time: time);
        await ems.RegisterAsync(Uid);
        // Past the default day of backdating (EmsOptions.DefaultEndpointCertificateBackdate).
        time.Advance(TimeSpan.FromDays(-2));
        var before = State(ems.Server.Store);

        await AssertProblem(await ems.EndpointClient(Uid).PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Uid)), new { ip = "10.160.1.50" }),
            HttpStatusCode.Unauthorized, "the client certificate is not valid before");
        Assert.Equal(before, State(ems.Server.Store));
    }

    /// <summary>`pgate ems endpoint revoke` beside the running server: the certificate stops working at once and
    /// gateways following the change stream hear the endpoint is gone.</summary>
    [Fact]
    public async Task ARevokedCertificate_IsRefused_AndGatewaysHearTheEndpointIsGone()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid);
        Assert.True(ems.Server.Store.AssignTag("a", Uid).Succeeded);
        var since = ems.Server.Store.CurrentVersion();
        await using var stream = await SseReader.OpenAsync(ems.Gateway, EmsApiRoutes.Changes + $"?since={since}");

        var (rc, output, error) = Cli.EmsCommandTests.Run(ems.Data.Path, "endpoint", "revoke", Uid);
        Assert.True(rc == 0, error);
        Assert.Contains("1 certificate(s) revoked", output);

        // The certificate first (gateways refuse it in IKE_AUTH and delete its tunnels), then the endpoint.
        var changes = await stream.TakeAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal([ChangeKinds.CertificateRevoked, ChangeKinds.EndpointDeleted], changes.Select(c => c.Kind));
        Assert.Contains($"\"serials\":[\"{ems.Certificates[Uid].SerialNumber}\"]", changes[0].Data);
        Assert.Contains(Uid, changes[1].Data);
        var before = State(ems.Server.Store);
        await AssertProblem(await ems.EndpointClient(Uid).PostAsJsonAsync(EmsApiRoutes.Register, new { ip = "10.160.1.50" }),
            HttpStatusCode.Unauthorized, "the client certificate was revoked at");
        await AssertProblem(await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid))),
            HttpStatusCode.Unauthorized, "the client certificate was revoked at");
        Assert.Equal(before, State(ems.Server.Store));
        Assert.Null(ems.Server.Store.FindByUid(Uid));
        Assert.Equal(HttpStatusCode.NotFound, (await ems.Gateway.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.EndpointByUid, ("uid", Uid)))).StatusCode);
    }

    /// <summary>The right CN under a CA this EMS does not know, or self-signed.</summary>
    [Theory]
    [InlineData("AnotherCa")]
    [InlineData("SelfSigned")]
    public async Task ACertificateFromAnotherCa_IsRefused(string name)
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid, ip: "10.160.1.197");
        var before = State(ems.Server.Store);
        using var forged = name == "SelfSigned" ? SelfSigned(Uid) : FromAnotherCa(Uid, ems.Certificates[Uid].SerialNumber);
        using var client = ems.NewClient(null, forged);

        await AssertProblem(await client.PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Uid)), new { ip = "10.160.1.50" }),
            HttpStatusCode.Unauthorized, "not issued by this EMS's endpoint CA");
        Assert.Equal(before, State(ems.Server.Store));
        Assert.Equal("10.160.1.197", ems.Server.Store.FindByUid(Uid)!.Ip);
    }

    private static X509Certificate2 SelfSigned(string uid)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(EndpointCertificateName.SubjectOf(uid), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>Same subject, same serial as the real certificate — only the CA differs.</summary>
    private static X509Certificate2 FromAnotherCa(string uid, string serialHex)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=PostureGate EMS FCTEMS0000000000 endpoint CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(EndpointCertificateName.SubjectOf(uid), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), Convert.FromHexString(serialHex));
        return leaf.CopyWithPrivateKey(key);
    }
}
