using System.Net.Http.Json;
using System.Text.Json;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Storage;

public class PersistenceTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    [Fact]
    public async Task Restart_KeepsSerialKeysFingerprintAndEndpoints()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid);
        Assert.True(ems.Server.Store.AssignTag("a", Uid).Succeeded);
        var serial = ems.Server.SerialNumber;
        var tenant = ems.Server.TenantId;
        var fingerprint = ems.Server.CertificateFingerprint;
        var jwks = await ems.Gateway.GetStringAsync(EmsApiRoutes.Jwks);
        var state = Api.BadRequestTests.State(ems.Server.Store);

        await ems.RestartAsync();

        Assert.Equal(serial, ems.Server.SerialNumber);
        Assert.Equal(tenant, ems.Server.TenantId);
        Assert.Equal(fingerprint, ems.Server.CertificateFingerprint);
        // The keys are shown on the first start only; the first start's keys still open the API (ems.Gateway).
        Assert.Null(ems.Server.ApiKey);
        Assert.Null(ems.Server.AdminApiKey);
        Assert.Equal(jwks, await ems.Gateway.GetStringAsync(EmsApiRoutes.Jwks));
        Assert.Equal(state, Api.BadRequestTests.State(ems.Server.Store));
        var endpoint = await ems.Gateway.GetFromJsonAsync<JsonElement>(EmsApiRoutes.Format(EmsApiRoutes.EndpointByUid, ("uid", Uid)));
        Assert.Equal(["a", "all_registered_clients"], Tokens.ZtnaTokenTests.TagNames(endpoint));
    }

    /// <summary>kill -9: the files are copied while the server runs, right after it acknowledged
    /// the writes (no shutdown, no checkpoint, the WAL as it is on disk); a new server on the copy
    /// must hold everything acknowledged.</summary>
    [Fact]
    public async Task KillWithoutShutdown_AcknowledgedDataIsThere()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid, new { av = new { running = true } });
        var rule = await ems.Admin.PutAsJsonAsync(EmsApiRoutes.Format(EmsApiRoutes.AdminTagRule, ("name", "av_on")), new { expression = "av.running", type = 2 });
        await TestEms.EnsureSuccess(rule);
        await TestEms.EnsureSuccess(await ems.Admin.PutAsJsonAsync(EmsApiRoutes.AdminTokenSettings, new { enabled = true }));
        var state = Api.BadRequestTests.State(ems.Server.Store);
        var serial = ems.Server.SerialNumber;
        var fingerprint = ems.Server.CertificateFingerprint;
        Assert.True(File.Exists(Path.Combine(ems.Data.Path, SqliteEmsDatabase.FileName + "-wal")));

        using var crashed = new TempDirectory();
        CopyAsIs(ems.Data.Path, crashed.Path);

        await using var reopened = await EmsServer.StartAsync(TestEms.Options(crashed.Path));
        Assert.Equal(serial, reopened.SerialNumber);
        Assert.Equal(fingerprint, reopened.CertificateFingerprint);
        Assert.Equal(state, Api.BadRequestTests.State(reopened.Store));
        var endpoint = reopened.Store.FindByUid(Uid);
        Assert.NotNull(endpoint);
        Assert.Contains(endpoint.Tags, t => t is { Name: "av_on", Type: 2 });
        Assert.True(reopened.Store.GetTokenSettings().Enabled);
    }

    private static void CopyAsIs(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            // The shared-memory index is rebuilt from the WAL by the next opener, as after a crash.
            if (file.EndsWith("-shm", StringComparison.Ordinal))
                continue;
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var destination = File.Create(target);
            source.CopyTo(destination);
        }
    }
}
