// Two real `pgate ems` processes on one PostgreSQL database (issue 16 "The EMS on PostgreSQL"):
// the second node needs the first one's node key file and is refused without it; a change made
// by a third process (the admin CLI) reaches a gateway's change stream on the second node; the
// connection string's password shows in no output. The PostgreSQL cluster is the store tests'
// private throwaway one (fails, not skips, under PG_REQUIRE_NETNS=1).
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using PostureGate.Ems.Tests.Postgres;
using PostureGate.Interop.Tests.Lab;

namespace PostureGate.Interop.Tests.Pgate;

public sealed class EmsTwoNodeProcessTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IDisposable
{
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(120);
    private readonly string _root = Directory.CreateTempSubdirectory("pgate-ems-two-").FullName;
    private readonly List<LabProcess> _processes = [];

    [SkippableFact]
    public async Task AChangeByTheCli_ReachesAGatewayStreamOnTheOtherNode()
    {
        // Trust authentication ignores it; it is here to be looked for in every output.
        var database = cluster.NewDatabase() + ";Password=hunter2-never-shown";
        var a = Start("a", database);
        var bannerA = await BannerAsync(a, "admin API key");
        var gatewayKey = Field(bannerA, "gateway API key");

        var refused = await LabProcess.RunAsync(InteropLab.DotnetHost(),
            [InteropLab.PgateDll(), "ems", "--data", Path.Combine(_root, "b"), "--database", database, "--listen", "https://127.0.0.1:0"], Ceiling);
        Assert.False(refused.Succeeded);
        Assert.Contains("copy the key file of a running node", refused.Output);

        var keyFile = Path.Combine(_root, "a", "cluster.key");
        var b = Start("b", database, "--key-file", keyFile);
        var bannerB = await BannerAsync(b, "endpoint CA");
        Assert.Equal(Field(bannerA, "serial number"), Field(bannerB, "serial number"));

        using var handler = PostureGate.Ems.Tls.EmsCertificatePinning.CreateHandler(Field(bannerB, "certificate fingerprint (SHA-256)"));
        using var gateway = new HttpClient(handler) { BaseAddress = new Uri(Field(bannerB, "EMS listening on")), Timeout = Timeout.InfiniteTimeSpan };
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", gatewayKey);
        using var stream = await gateway.GetAsync("/api/v1/gateway/changes?since=0", HttpCompletionOption.ResponseHeadersRead);
        stream.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());

        var cli = await LabProcess.RunAsync(InteropLab.DotnetHost(),
            [InteropLab.PgateDll(), "ems", "--data", Path.Combine(_root, "cli"), "--database", database, "--key-file", keyFile,
             "tag", "rule", "set", "pushed_from_cli", "registered", "--type", "2"], Ceiling);
        Assert.True(cli.Succeeded, cli.ToString());

        using var ceiling = new CancellationTokenSource(Ceiling);
        string? line;
        do
        {
            line = await reader.ReadLineAsync(ceiling.Token);
        }
        while (line is not null && !line.Contains("\"subject\":\"pushed_from_cli\"", StringComparison.Ordinal));
        Assert.NotNull(line);
        Assert.Contains("tag.defined", line);

        foreach (var output in new[] { a.OutputSoFar, b.OutputSoFar, refused.Output, cli.Output })
            Assert.DoesNotContain("hunter2", output);
    }

    private LabProcess Start(string node, string database, params string[] extra)
    {
        var process = LabProcess.Start(InteropLab.DotnetHost(),
            [InteropLab.PgateDll(), "ems", "--data", Path.Combine(_root, node), "--database", database, "--listen", "https://127.0.0.1:0", .. extra],
            TimeSpan.FromMinutes(10));
        _processes.Add(process);
        return process;
    }

    /// <summary>The banner up to and including <paramref name="lastLabel"/>'s line.</summary>
    private static async Task<string> BannerAsync(LabProcess process, string lastLabel)
    {
        using var ceiling = new CancellationTokenSource(Ceiling);
        while (!Regex.IsMatch(process.OutputSoFar, $@"(?m)^{Regex.Escape(lastLabel)}: \S+"))
        {
            if (process.Completion.IsCompleted)
                throw new Xunit.Sdk.XunitException($"pgate ems exited:\n{await process.Completion}");
            await Task.Delay(100, ceiling.Token);
        }
        return process.OutputSoFar;
    }

    private static string Field(string banner, string label) =>
        Regex.Match(banner, $@"(?m)^{Regex.Escape(label)}:? (\S+)\s*$") is { Success: true } m ? m.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"no '{label}' in:\n{banner}");

    public void Dispose()
    {
        foreach (var process in _processes)
            process.Kill();
        Task.WaitAll([.. _processes.Select(p => p.Completion)], TimeSpan.FromSeconds(30));
        Directory.Delete(_root, recursive: true);
    }
}
