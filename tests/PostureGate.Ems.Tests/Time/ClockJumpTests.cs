// The EMS under a wall clock that steps (issue 12, "a clock jump"), in-process with a hand-moved
// TimeProvider: a day forward expires tokens and invitations, an hour back issues no token with a
// negative lifetime, and change versions keep rising because they never come from the clock.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureGate.Ems.Tests.Api;

namespace PostureGate.Ems.Tests.Time;

public class ClockJumpTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private const string Later = "0123456789ABCDEF0123456789ABCDEF";
    private const long Lifetime = 3600;

    [Fact]
    public async Task DayForwardThenHourBack_TokensInvitationsAndVersionsStayConsistent()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var log = new RecordingLoggerProvider();
        await using var ems = await TestEms.StartAsync(time: time, log: log);
        Assert.True(ems.Server.Store.SetTokenSettings(true, (int)Lifetime, 600).Succeeded);
        await ems.RegisterAsync(Uid);
        var invite = ems.NewInvite(uses: 5, lifetime: TimeSpan.FromHours(1));
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        var first = await TokenAsync(ems, start);
        var versions = new List<long> { ems.Server.Store.CurrentVersion() };

        // A day forward: the token issued before is past its exp on the EMS's own clock, the invitation too.
        time.Advance(TimeSpan.FromDays(1));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        Assert.True(first.GetProperty("exp").GetInt64() < now);
        await TokenAsync(ems, now);
        var (key, csr) = TestEms.NewCsr(Later);
        using (key)
            await EnrollmentApiTests.AssertProblem(await ems.PostEnrollAsync(Later, csr, invite), HttpStatusCode.Forbidden, "expired at");
        versions.Add(await ChangeAsync(ems, "after_forward"));
        var fresh = ems.NewInvite(uses: 1, lifetime: TimeSpan.FromHours(2));

        // An hour back: tokens are issued at the stepped-back time with their full lifetime, the old
        // invitation stays expired, the fresh one (created "in the future") is still honoured.
        time.Advance(TimeSpan.FromHours(-1));
        now = time.GetUtcNow().ToUnixTimeSeconds();
        await TokenAsync(ems, now);
        (key, csr) = TestEms.NewCsr(Later);
        using (key)
        {
            await EnrollmentApiTests.AssertProblem(await ems.PostEnrollAsync(Later, csr, invite), HttpStatusCode.Forbidden, "expired at");
            await TestEms.EnsureSuccess(await ems.PostEnrollAsync(Later, csr, fresh));
        }
        versions.Add(ems.Server.Store.CurrentVersion());
        versions.Add(await ChangeAsync(ems, "after_back"));
        var snapshot = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Snapshot);

        // RFC 9110 has nothing to say here; the rule is ours: versions never go back and never repeat.
        Assert.Equal(versions.Order().Distinct(), versions);
        Assert.Equal(versions[^1], snapshot.GetProperty("version").GetInt64());
        var bad = log.Entries.Where(e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Exception is not null)).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public async Task HourBackRightAfterEnrollment_TheNewCertificateStillWorks_WithTheDefaultDayOfBackdating()
    {
        // A clock stepped back an hour (an NTP correction, a VM restored) must not lock out the endpoint
        // that just enrolled: its certificate is valid from a day before its issue by default.
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var ems = await TestEms.StartAsync(time: time);
        await ems.RegisterAsync(Uid);

        time.Advance(TimeSpan.FromHours(-1));
        await TestEms.EnsureSuccess(await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Profiles, ("uid", Uid))));
        var certificate = ems.Certificates[Uid];
        Assert.Equal(EmsOptions.DefaultEndpointCertificateBackdate, certificate.NotAfter - certificate.NotBefore - EmsOptions.DefaultEndpointCertificateLifetime);
    }

    [Fact]
    public async Task StepBackBeyondTheBackdate_RefusesTheNewCertificateCleanly_UntilItsNotBefore()
    {
        // With a backdate of five minutes (`--endpoint-cert-backdate 5m`) an hour back makes the new
        // certificate "not yet valid" on the EMS's clock: a refusal with the reason — no crash, no error
        // line, nothing changed — until the clock catches up.
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        var log = new RecordingLoggerProvider();
        await using var ems = await TestEms.StartAsync(time: time, log: log);
        ems.Server.Store.CertificateBackdate = TimeSpan.FromMinutes(5);
        await ems.RegisterAsync(Uid);
        var before = ems.Server.Store.CurrentVersion();

        time.Advance(TimeSpan.FromHours(-1));
        var response = await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Profiles, ("uid", Uid)));
        await EnrollmentApiTests.AssertProblem(response, HttpStatusCode.Unauthorized, "not valid before");
        Assert.Equal(before, ems.Server.Store.CurrentVersion());

        time.Advance(TimeSpan.FromHours(1));
        await TestEms.EnsureSuccess(await ems.EndpointClient(Uid).GetAsync(EmsApiRoutes.Format(EmsApiRoutes.Profiles, ("uid", Uid))));
        var bad = log.Entries.Where(e => e.Level >= LogLevel.Error || (e.Level >= LogLevel.Warning && e.Exception is not null)).ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Theory]
    [InlineData(0, 90 * 24 * 60)]
    [InlineData(8 * 24 * 60, 90 * 24 * 60)]
    [InlineData(6 * 60, 10 * 60)]
    public async Task ABackdateOutsideItsRange_IsRefusedAtStart(int minutes, int lifetimeMinutes)
    {
        // More than half the lifetime would put renewal (two thirds of the validity) too close to issue.
        using var data = new TempDirectory();
        var options = TestEms.Options(data.Path);
        options.EndpointCertificateBackdate = TimeSpan.FromMinutes(minutes);
        options.EndpointCertificateLifetime = TimeSpan.FromMinutes(lifetimeMinutes);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmsServer.StartAsync(options));
        Assert.Contains("backdate must be between 1 second and 7 days, and at most half the certificate lifetime", error.Message);
    }

    /// <summary>Fetches a token and checks it was issued now with the full lifetime (never negative).</summary>
    private static async Task<JsonElement> TokenAsync(TestEms ems, long now)
    {
        var token = await ems.EndpointClient(Uid).GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.Token, ("uid", Uid)) + "?binding=none");
        Assert.Equal(now, token.GetProperty("iat").GetInt64());
        Assert.Equal(now + Lifetime, token.GetProperty("exp").GetInt64());
        return token;
    }

    private static async Task<long> ChangeAsync(TestEms ems, string tag)
    {
        var before = ems.Server.Store.CurrentVersion();
        await TestEms.EnsureSuccess(await ems.Admin.PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.AdminTag, ("name", tag)), new { type = 1 }));
        var after = ems.Server.Store.CurrentVersion();
        Assert.True(after > before, $"version {before} -> {after}");
        return after;
    }
}
