// The client's enrollment (issue 10 "Enrollment") against a real EMS over HTTPS: its own P-256
// key, owner-only from creation; the certificate kept beside it and used for every later call;
// renewal after two thirds of the lifetime; and the refusals a user sees.
using System.Net;
using PostureGate.Client.Tests.Support;
using PostureGate.Ems;

namespace PostureGate.Client.Tests;

public sealed class DeviceEnrollmentTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pg-client-enroll-" + Guid.NewGuid().ToString("N"));
    // Only the clock is moved by hand; timers stay real (ManualTimeProvider would run the EMS's
    // offline sweep once per period across the two months this test skips).
    private readonly MovableClock _time = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private EmsServer _ems = null!;

    public async Task InitializeAsync() => _ems = await EmsServer.StartAsync(new EmsOptions
    {
        DataDirectory = Path.Combine(_directory, "ems"),
        Listen = "https://127.0.0.1:0",
        ConfigureLogging = _ => { },
        Time = _time,
    });

    public async Task DisposeAsync()
    {
        await _ems.StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private ClientSettings Settings(string uid, string? invite) => new()
    {
        Gateway = new IPEndPoint(IPAddress.Loopback, 500),
        Psk = [1],
        User = "alice",
        Ems = new Uri(_ems.Url),
        EmsFingerprint = _ems.CertificateFingerprint,
        InviteCode = invite,
        DeviceDirectory = Path.Combine(_directory, "device"),
        Uid = uid,
        ReportedIp = IPAddress.Parse("10.160.1.197"),
    };

    [Fact]
    public async Task EnrollsWithTheInvitation_KeepsAnOwnerOnlyKey_AndLaterRunsNeedNoCode()
    {
        var uid = Labs.NewUid();
        var invite = _ems.Store.CreateInvite(1, null).Code;
        await using (var first = new ClientSession(Settings(uid, invite), TextWriter.Null, _time))
            await first.EnrollAsync(CancellationToken.None);

        var key = Path.Combine(_directory, "device", uid + ".key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "device", uid + ".crt")));
        Assert.Equal(certificate.SerialNumber, _ems.Store.FindByUid(uid)!.ZtnaCertSn);
        Assert.Equal("10.160.1.197", _ems.Store.FindByUid(uid)!.Ip);
        Assert.DoesNotContain(File.ReadAllText(key), File.ReadAllText(Path.Combine(_directory, "device", uid + ".crt")));

        // The invitation is used up; the certificate carries the next run.
        await using var second = new ClientSession(Settings(uid, null), TextWriter.Null, _time);
        await second.EnrollAsync(CancellationToken.None);
        Assert.Equal(certificate.SerialNumber, _ems.Store.FindByUid(uid)!.ZtnaCertSn);
    }

    [Fact]
    public async Task RenewsAfterTwoThirdsOfTheLifetime()
    {
        var uid = Labs.NewUid();
        await using var session = new ClientSession(Settings(uid, _ems.Store.CreateInvite(1, null).Code), TextWriter.Null, _time);
        await session.EnrollAsync(CancellationToken.None);
        var first = _ems.Store.FindByUid(uid)!.ZtnaCertSn;

        _time.Advance(EmsOptions.DefaultEndpointCertificateLifetime * 2 / 3 + TimeSpan.FromHours(1));
        await session.RefreshAsync(CancellationToken.None);

        var renewed = _ems.Store.FindByUid(uid)!.ZtnaCertSn;
        Assert.NotEqual(first, renewed);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "device", uid + ".crt")));
        Assert.Equal(renewed, certificate.SerialNumber);
    }

    [Fact]
    public async Task WithoutAnInvitation_TheUserIsToldWhy_AndNothingIsEnrolled()
    {
        var uid = Labs.NewUid();
        await using var session = new ClientSession(Settings(uid, null), TextWriter.Null, _time);

        var refused = await Assert.ThrowsAsync<EmsEnrollmentException>(() => session.EnrollAsync(CancellationToken.None));

        Assert.Contains("only with an invitation code", refused.Message);
        Assert.Null(_ems.Store.FindByUid(uid));
    }

    [Fact]
    public async Task WithoutACode_WaitsForTheAdmin_ThenEnrollsWithTheSameKey()
    {
        var uid = Labs.NewUid();
        Assert.True(_ems.Store.SetEnrollmentWithoutCode(pending: true).Succeeded);
        await using var session = new ClientSession(Settings(uid, null), TextWriter.Null, _time);

        var waiting = await Assert.ThrowsAsync<EmsEnrollmentException>(() => session.EnrollAsync(CancellationToken.None));
        Assert.Contains($"pgate ems endpoint approve {uid}", waiting.Message);
        Assert.False(waiting.Refused);
        // The client shows the key the admin sees in `pgate ems endpoint pending`.
        Assert.Contains(_ems.Store.ListPendingEnrollments().Single().SpkiSha256, waiting.Message);
        Assert.Null(_ems.Store.FindByUid(uid));

        Assert.True(_ems.Store.ApproveEnrollment(uid).Succeeded);
        await session.EnrollAsync(CancellationToken.None);
        Assert.NotNull(_ems.Store.FindByUid(uid));
    }

    [Fact]
    public async Task AKeyReadableByOthers_IsRefused()
    {
        var uid = Labs.NewUid();
        var directory = Path.Combine(_directory, "device");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, uid + ".key"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
        File.SetUnixFileMode(Path.Combine(directory, uid + ".key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var session = new ClientSession(Settings(uid, _ems.Store.CreateInvite(1, null).Code), TextWriter.Null, _time);

        var refused = await Assert.ThrowsAsync<EmsEnrollmentException>(() => session.EnrollAsync(CancellationToken.None));

        Assert.Contains("readable by others", refused.Message);
        Assert.Null(_ems.Store.FindByUid(uid));
    }


    private sealed class MovableClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
