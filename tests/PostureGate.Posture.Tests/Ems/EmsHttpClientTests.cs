// EmsHttpClient against a misbehaving HTTPS server (Kestrel, self-signed): garbage, wrong
// shapes, oversize and hangs are Unreachable — never NotFound, never a match.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PostureGate.Posture.Tests.Ems;

public sealed class EmsHttpClientTests : IAsyncLifetime
{
    private WebApplication? _app;
    private X509Certificate2? _certificate;
    private int _port;

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=bad-ems", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(_certificate)));
        _app = builder.Build();
        _app.MapGet("/api/v1/gateway/endpoints/uid/{uid}", (string uid) => uid switch
        {
            "00000000000000000000000000000001" => Results.Text("this is not json", "application/json"),
            "00000000000000000000000000000002" => Results.Text("""{"uid":"nope","tags":[]}""", "application/json"),
            "00000000000000000000000000000003" => Results.Text("""{"uid":"00000000000000000000000000000003","ip":"10.0.0.3","tags":"a"}""", "application/json"),
            "00000000000000000000000000000004" => Results.Text("{\"uid\":\"00000000000000000000000000000004\",\"host\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", "application/json"),
            "00000000000000000000000000000005" => Results.StatusCode(500),
            "00000000000000000000000000000006" => Results.NotFound(),
            _ => Results.Text("""{"uid":"00000000000000000000000000000007","ip":"10.0.0.7","macs":["00:0c:29:2c:67:74"],"tags":[{"name":"a","type":1}],"online":true}""", "application/json"),
        });
        _app.MapGet("/api/v1/gateway/endpoints/ip/{ip}", async (HttpContext http) =>
        {
            // Hangs: sends nothing until the client gives up.
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        });
        _app.MapGet("/api/v1/gateway/snapshot", async (HttpContext http) =>
        {
            // A valid snapshot of about 200 KB, streamed without Content-Length.
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("{\"version\":1,\"tags\":[],\"endpoints\":[");
            for (var i = 0; i < 2000; i++)
                await http.Response.WriteAsync((i == 0 ? "" : ",") + $"{{\"uid\":\"{i:X32}\",\"ip\":\"10.0.{i / 250}.{i % 250 + 1}\",\"tags\":[{{\"name\":\"a\",\"type\":1}}]}}");
            await http.Response.WriteAsync("]}");
        });
        // One certificate.revoked event per `since`: 1-4 malformed, 5 well formed.
        _app.MapGet("/api/v1/gateway/changes", async (HttpContext http, long since) =>
        {
            var data = since switch
            {
                1 => """{"uid":"6108A9179A5C40D7BD57504E15114C1F","serials":"1A2B"}""",
                2 => """{"uid":"6108A9179A5C40D7BD57504E15114C1F","serials":["zz"]}""",
                3 => """{"uid":"6108A9179A5C40D7BD57504E15114C1F","serials":[12]}""",
                4 => """{"uid":"6108A9179A5C40D7BD57504E15114C1F"}""",
                _ => """{"uid":"6108A9179A5C40D7BD57504E15114C1F","serials":["1A2B","00FF"]}""",
            };
            var subject = since == 6 ? "not-a-uid" : "6108a9179a5c40d7bd57504e15114c1f";
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync($"id: {since + 1}\nevent: certificate.revoked\ndata: {{\"version\":{since + 1},\"kind\":\"certificate.revoked\",\"subject\":\"{subject}\",\"at\":1,\"data\":{data}}}\n\n");
            await http.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        });
        await _app.StartAsync();
        _port = new Uri(_app.Urls.First()).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        _certificate?.Dispose();
    }

    // Generous by default: a TLS handshake on a loaded 2-core machine can take longer than the
    // hanging test's 500 ms, and an answer that arrives must not read as "unreachable".
    private EmsHttpClient Client(string? fingerprint = null, TimeSpan? callTimeout = null, long maxSnapshotBytes = EmsConnectorSettings.DefaultMaxSnapshotBytes) => new(new EmsConnectorSettings
    {
        MaxSnapshotBytes = maxSnapshotBytes,
        Id = 1,
        Name = "bad",
        Server = "127.0.0.1",
        Port = _port,
        CertificateFingerprint = fingerprint ?? Convert.ToHexString(SHA256.HashData(_certificate!.RawData)),
        ApiKey = "k",
        CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10),
    });

    [Theory]
    [InlineData("00000000000000000000000000000001", "NotJson")]
    [InlineData("00000000000000000000000000000002", "BadUid")]
    [InlineData("00000000000000000000000000000003", "TagsNotArray")]
    [InlineData("00000000000000000000000000000004", "Oversized")]
    [InlineData("00000000000000000000000000000005", "ServerError")]
    public async Task GarbageAnswers_AreUnreachable(string uid, string name)
    {
        using var client = Client();
        var result = await client.LookupByUidAsync(uid, CancellationToken.None);
        Assert.True(result.Status == EmsStatus.Unreachable, name);
        Assert.Null(result.Value);
    }

    /// <summary>A certificate.revoked event that does not say which serials of which UID is garbage, never "nothing revoked".</summary>
    [Theory]
    [InlineData(1, "SerialsNotAnArray")]
    [InlineData(2, "SerialNotHex")]
    [InlineData(3, "SerialNotAString")]
    [InlineData(4, "NoSerials")]
    [InlineData(6, "SubjectNotAUid")]
    public async Task AMalformedRevocation_IsAnUnparsableEvent(long since, string name)
    {
        using var client = Client();
        await using var changes = client.StreamChangesAsync(since, CancellationToken.None).GetAsyncEnumerator();

        var e = await Assert.ThrowsAsync<EmsUnreachableException>(async () => await changes.MoveNextAsync());
        Assert.True(e.Message.Contains("unparsable event", StringComparison.Ordinal), name);
    }

    [Fact]
    public async Task ARevocation_ParsesItsUidAndSerials()
    {
        using var client = Client();
        await using var changes = client.StreamChangesAsync(5, CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await changes.MoveNextAsync());
        Assert.Equal("certificate.revoked", changes.Current.Kind);
        Assert.Equal("6108A9179A5C40D7BD57504E15114C1F", changes.Current.Subject);
        Assert.Equal(["1A2B", "00FF"], changes.Current.RevokedSerials);
    }

    [Fact]
    public async Task NotFound_IsNotFound_AndAGoodAnswerParses()
    {
        using var client = Client();
        Assert.Equal(EmsStatus.NotFound, (await client.LookupByUidAsync("00000000000000000000000000000006", CancellationToken.None)).Status);
        var ok = await client.LookupByUidAsync("00000000000000000000000000000007", CancellationToken.None);
        Assert.Equal(EmsStatus.Ok, ok.Status);
        Assert.Equal(IPAddress.Parse("10.0.0.7"), ok.Value!.Ip);
        Assert.True(ok.Value.HasTag("a"));
        Assert.Equal("00:0c:29:2c:67:74", ok.Value.Mac);
    }

    [Fact]
    public async Task HangingEms_IsUnreachableAfterCallTimeout()
    {
        using var client = Client(callTimeout: TimeSpan.FromMilliseconds(500));
        var result = await client.LookupByIpAsync(IPAddress.Parse("10.0.0.1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(EmsStatus.Unreachable, result.Status);
        Assert.Contains("call-timeout", result.Reason);
    }

    [Fact]
    public async Task FingerprintIsPinned_CaseAndColonsDoNotMatter()
    {
        var hex = Convert.ToHexString(SHA256.HashData(_certificate!.RawData));
        using (var colons = Client(string.Join(':', hex.Chunk(2).Select(c => new string(c)).Select(s => s.ToLowerInvariant()))))
            Assert.Equal(EmsStatus.Ok, (await colons.LookupByUidAsync("00000000000000000000000000000007", CancellationToken.None)).Status);
        var wrong = hex[..^2] + (hex[^2..] == "00" ? "01" : "00");
        using var pinnedElsewhere = Client(wrong);
        Assert.Equal(EmsStatus.Unreachable, (await pinnedElsewhere.LookupByUidAsync("00000000000000000000000000000007", CancellationToken.None)).Status);
        Assert.False(EmsHttpClient.FingerprintMatches("not hex", _certificate));
        Assert.False(EmsHttpClient.FingerprintMatches(hex, null));
    }

    [Fact]
    public async Task ASnapshotLargerThanTheLimit_IsRefusedWithTheReason()
    {
        using (var roomy = Client())
        {
            var whole = await roomy.GetSnapshotAsync(CancellationToken.None);
            Assert.Equal(EmsStatus.Ok, whole.Status);
            Assert.Equal(2000, whole.Value!.Endpoints.Count);
        }
        using var bounded = Client(maxSnapshotBytes: 64 * 1024);
        var result = await bounded.GetSnapshotAsync(CancellationToken.None);
        Assert.Equal(EmsStatus.Unreachable, result.Status);
        Assert.Null(result.Value);
        Assert.Contains("exceeds the 65536-byte limit", result.Reason);
    }
}
