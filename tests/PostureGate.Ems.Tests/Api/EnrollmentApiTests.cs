// POST /api/v1/enroll and /api/v1/enroll/renew against a running EMS (issue 10 "Enrollment"):
// what the certificate says, and every refusal — with its reason, and nothing changed.
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Api;

public class EnrollmentApiTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private const string Other = "0123456789ABCDEF0123456789ABCDEF";

    [Fact]
    public async Task Enroll_GivesACertificateNamingTheUid_WhoseSerialIsTheZtnaCertSn()
    {
        await using var ems = await TestEms.StartAsync();
        using var certificate = await ems.EnrollAsync(Uid);

        Assert.Equal($"CN={Uid}", certificate.Subject);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains($"urn:posturegate:uid:{Uid}", san.Format(false));
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(),
            o => o.Value == "1.3.6.1.5.5.7.3.2");
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var lifetime = certificate.NotAfter - certificate.NotBefore;
        var backdated = EmsOptions.DefaultEndpointCertificateLifetime + EmsOptions.DefaultEndpointCertificateBackdate;
        Assert.InRange(lifetime, backdated - TimeSpan.FromMinutes(1), backdated + TimeSpan.FromMinutes(1));
        var registered = await ems.RegisterAsync(Uid);
        Assert.Equal(certificate.SerialNumber, registered.GetProperty("ztna_cert_sn").GetString());
        Assert.Equal(certificate.SerialNumber, ems.Server.Store.FindByUid(Uid)!.ZtnaCertSn);
        Assert.Contains("all_registered_clients", registered.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(ems.Data.Path, EndpointCertificateAuthority.CertificateFileName)));
        Assert.Equal(ca.Subject, certificate.Issuer);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(ems.Data.Path, EndpointCertificateAuthority.KeyFileName)));
    }

    [Fact]
    public async Task CsrNamingAnotherUid_IsRefused_AndTheInvitationIsNotUsed()
    {
        await using var ems = await TestEms.StartAsync();
        var invite = ems.NewInvite();
        var before = State(ems.Server.Store);
        var (key, csr) = TestEms.NewCsr(Other);
        using (key)
        {
            var response = await ems.PostEnrollAsync(Uid, csr, invite);

            await AssertProblem(response, HttpStatusCode.BadRequest, $"csr names uid {Other}, not {Uid}");
        }
        Assert.Equal(before, State(ems.Server.Store));
    }

    [Theory]
    [InlineData("NotPem", "hello")]
    [InlineData("Empty", "")]
    [InlineData("BadSignature", "tamper")]
    public async Task MalformedCsr_IsRefused(string name, string csrText)
    {
        await using var ems = await TestEms.StartAsync();
        var invite = ems.NewInvite();
        var before = State(ems.Server.Store);
        var (key, good) = TestEms.NewCsr(Uid);
        using (key)
        {
            var csr = csrText == "tamper" ? Tamper(good) : csrText;
            var response = await ems.PostEnrollAsync(Uid, csr, invite);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, name);
        }
        Assert.Equal(before, State(ems.Server.Store));
    }

    [Fact]
    public async Task InvitationUsedPastItsUses_IsRefused()
    {
        await using var ems = await TestEms.StartAsync();
        var invite = ems.NewInvite(uses: 1);
        var (first, firstCsr) = TestEms.NewCsr(Uid);
        using (first)
            await TestEms.EnsureSuccess(await ems.PostEnrollAsync(Uid, firstCsr, invite));
        var before = State(ems.Server.Store);

        var (second, secondCsr) = TestEms.NewCsr(Other);
        using (second)
        {
            var response = await ems.PostEnrollAsync(Other, secondCsr, invite);

            await AssertProblem(response, HttpStatusCode.Forbidden, "has been used 1 of 1 times");
        }
        Assert.Equal(before, State(ems.Server.Store));
        Assert.Null(ems.Server.Store.FindByUid(Other));
    }

    [Fact]
    public async Task InvitationPastItsExpiry_IsRefused()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var ems = await TestEms.StartAsync(time: time);
        var invite = ems.NewInvite(uses: 5, lifetime: TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromHours(1));
        var before = State(ems.Server.Store);
        var (key, csr) = TestEms.NewCsr(Uid);
        using (key)
        {
            var response = await ems.PostEnrollAsync(Uid, csr, invite);

            await AssertProblem(response, HttpStatusCode.Forbidden, "expired at");
        }
        Assert.Equal(before, State(ems.Server.Store));
    }

    [Theory]
    [InlineData("WrongSecret")]
    [InlineData("UnknownId")]
    [InlineData("Garbage")]
    public async Task WrongInvitationCode_IsRefused_WithoutSayingWhy(string name)
    {
        await using var ems = await TestEms.StartAsync();
        var invite = ems.NewInvite();
        var code = name switch
        {
            "WrongSecret" => invite[..^4] + "AAAA",
            "UnknownId" => "pgi_00000000" + invite[12..],
            _ => "not-a-code",
        };
        var before = State(ems.Server.Store);
        var (key, csr) = TestEms.NewCsr(Uid);
        using (key)
            await AssertProblem(await ems.PostEnrollAsync(Uid, csr, code), HttpStatusCode.Forbidden, "the invitation code is not valid");
        Assert.Equal(before, State(ems.Server.Store));
    }

    [Fact]
    public async Task WithoutCode_RefusedByDefault_OrPendingUntilApproved()
    {
        await using var ems = await TestEms.StartAsync();
        var (key, csr) = TestEms.NewCsr(Uid);
        using var _ = key;
        var before = State(ems.Server.Store);
        await AssertProblem(await ems.PostEnrollAsync(Uid, csr, null), HttpStatusCode.Forbidden, "only with an invitation code");
        Assert.Equal(before, State(ems.Server.Store));

        Assert.True(ems.Server.Store.SetEnrollmentWithoutCode(pending: true).Succeeded);
        var waiting = await ems.PostEnrollAsync(Uid, csr, null);
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        Assert.Equal("pending", (await waiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Null(ems.Server.Store.FindByUid(Uid));
        // Another key asking for the same UID meanwhile is refused; the first stays pending.
        var (intruder, intruderCsr) = TestEms.NewCsr(Uid);
        using (intruder)
            await AssertProblem(await ems.PostEnrollAsync(Uid, intruderCsr, null), HttpStatusCode.Conflict, "pending enrollment with another key");
        Assert.Equal(HttpStatusCode.Accepted, (await ems.PostEnrollAsync(Uid, csr, null)).StatusCode);

        Assert.True(ems.Server.Store.ApproveEnrollment(Uid).Succeeded);
        var issued = await ems.PostEnrollAsync(Uid, csr, null);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.NotNull(ems.Server.Store.FindByUid(Uid));
        Assert.Empty(ems.Server.Store.ListPendingEnrollments());
    }

    [Fact]
    public async Task EnrolledUid_CannotBeTakenOverWithAnotherKey_EvenWithAnInvitation()
    {
        await using var ems = await TestEms.StartAsync();
        using var certificate = await ems.EnrollAsync(Uid);
        var invite = ems.NewInvite();
        var before = State(ems.Server.Store);
        var (key, csr) = TestEms.NewCsr(Uid);
        using (key)
            await AssertProblem(await ems.PostEnrollAsync(Uid, csr, invite), HttpStatusCode.Conflict, "already enrolled with another key");
        Assert.Equal(before, State(ems.Server.Store));
    }

    [Fact]
    public async Task Renew_WithTheCurrentCertificate_GivesANewSerial_AndTheOldOneStillWorks()
    {
        await using var ems = await TestEms.StartAsync();
        var old = await ems.EnrollAsync(Uid);
        using var key = old.GetECDsaPrivateKey()!;
        var csr = new CertificateRequest(EndpointCertificateName.SubjectOf(Uid), key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem();

        var response = await ems.EndpointClient(Uid).PostAsJsonAsync(EmsApiRoutes.Renew, new { csr });
        await TestEms.EnsureSuccess(response);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        var serial = body.GetProperty("serial").GetString();
        Assert.NotEqual(old.SerialNumber, serial);
        Assert.Equal(serial, ems.Server.Store.FindByUid(Uid)!.ZtnaCertSn);
        Assert.Equal(new[] { old.SerialNumber, serial! }.Order(), ems.Server.Store.ListCertificates(Uid).Select(c => c.Serial).Order());
        await TestEms.EnsureSuccess(await ems.EndpointClient(Uid).PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.ReportFacts, ("uid", Uid)), new { host = "renewed" }));
    }

    [Fact]
    public async Task Renew_WithoutACertificate_IsRefused()
    {
        await using var ems = await TestEms.StartAsync();
        using var certificate = await ems.EnrollAsync(Uid);
        var (key, csr) = TestEms.NewCsr(Uid);
        using (key)
        {
            var before = State(ems.Server.Store);
            await AssertProblem(await ems.Client.PostAsJsonAsync(EmsApiRoutes.Renew, new { csr }), HttpStatusCode.Unauthorized, "client certificate is required");
            Assert.Equal(before, State(ems.Server.Store));
        }
    }

    internal static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reason, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }

    /// <summary>Everything an enrollment could change: endpoints, tags, versions, invitations and their uses, pending requests.</summary>
    internal static string State(EmsStore store) => string.Join("\n",
        BadRequestTests.State(store),
        JsonSerializer.Serialize(store.ListInvites()),
        JsonSerializer.Serialize(store.ListPendingEnrollments()));

    // Flips a byte inside the signature at the end of the DER.
    private static string Tamper(string pem)
    {
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        der[^5] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    [Fact]
    public async Task PendingEnrollments_AreBoundedByTheQuota_AndARefusalChangesNothing()
    {
        await using var ems = await TestEms.StartAsync();
        Assert.True(ems.Server.Store.SetEnrollmentWithoutCode(pending: true).Succeeded);
        ems.Server.Store.MaxPendingEnrollments = 2;
        var uids = new[] { "00000000000000000000000000000A01", "00000000000000000000000000000A02", "00000000000000000000000000000A03" };
        foreach (var uid in uids[..2])
        {
            var (key, csr) = TestEms.NewCsr(uid);
            using (key)
                Assert.Equal(HttpStatusCode.Accepted, (await ems.PostEnrollAsync(uid, csr, null)).StatusCode);
        }
        var before = State(ems.Server.Store);
        var (third, thirdCsr) = TestEms.NewCsr(uids[2]);
        using (third)
            await AssertProblem(await ems.PostEnrollAsync(uids[2], thirdCsr, null), HttpStatusCode.Forbidden, "already wait for approval");
        Assert.Equal(before, State(ems.Server.Store));
        Assert.Equal(uids[..2], ems.Server.Store.ListPendingEnrollments().Select(p => p.Uid).Order(StringComparer.Ordinal));

        // Approving one makes room.
        Assert.True(ems.Server.Store.ApproveEnrollment(uids[0]).Succeeded);
        var (fourth, fourthCsr) = TestEms.NewCsr(uids[2]);
        using (fourth)
            Assert.Equal(HttpStatusCode.Accepted, (await ems.PostEnrollAsync(uids[2], fourthCsr, null)).StatusCode);
    }
}
