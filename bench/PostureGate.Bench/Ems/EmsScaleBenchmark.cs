// The EMS at scale on each engine (issue 16 "Figures"): N endpoints registered through the
// store (one committed transaction each, W writers at once), the gateway snapshot's time and
// size, and change-to-gateway latency: from an admin tag change committing to its event
// arriving on a gateway's change stream (HTTPS + SSE) — for PostgreSQL the change is made on
// another node than the one serving the stream, so LISTEN/NOTIFY is on the path.
//   ems-scale ENGINE N [WRITERS] [CHANGES] [SECONDS]   ENGINE: sqlite | "<Npgsql connection string>"
// SECONDS bounds the registration phase: when it runs out, the figures are for the endpoints
// registered by then (a long run that must end by a set time still measures the rest).
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using PostureGate.Ems;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Bench.Ems;

public sealed class EmsScaleBenchmark : IBenchmark
{
    public string Name => "ems-scale";
    public string Description => "EMS on sqlite or PostgreSQL: registrations/s, snapshot time and size, change-to-gateway latency p50/p99";

    public int Run(string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[1], out var count) || count < 1)
        {
            Console.Error.WriteLine("usage: ems-scale sqlite|\"<Npgsql connection string>\" N [WRITERS] [CHANGES] [SECONDS]");
            return 2;
        }
        var database = args[0] == "sqlite" ? null : args[0];
        var writers = args.Length > 2 ? int.Parse(args[2]) : 8;
        var changes = args.Length > 3 ? int.Parse(args[3]) : 200;
        var budget = args.Length > 4 && int.Parse(args[4]) > 0 ? TimeSpan.FromSeconds(int.Parse(args[4])) : Timeout.InfiniteTimeSpan;
        var engine = database is null ? "sqlite" : "postgresql";
        var root = Path.Combine(Path.GetTempPath(), "pg-bench-scale-" + Guid.NewGuid().ToString("N"));
        try
        {
            return RunAsync(engine, database, root, count, writers, changes, budget).GetAwaiter().GetResult();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<int> RunAsync(string engine, string? database, string root, int count, int writers, int changes, TimeSpan budget)
    {
        var nodeA = Path.Combine(root, "a");
        var nodeB = Path.Combine(root, "b");
        await using var server = await EmsServer.StartAsync(new EmsOptions
        {
            DataDirectory = nodeA,
            Database = database,
            Listen = "https://127.0.0.1:0",
            ConfigureLogging = _ => { },
        });
        // PostgreSQL: changes come from a second node; SQLite has one node, the server's own store.
        using var other = database is null ? null : EmsStore.Open(nodeB, database: database, keyFile: Path.Combine(nodeA, NodeKeyFile.DefaultFileName));
        var writer = other ?? server.Store;

        var registered = Stopwatch.StartNew();
        var next = -1;
        var failures = 0;
        var done = 0;
        var progress = 0L;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                if (!Register(writer, i).Succeeded)
                    Interlocked.Increment(ref failures);
                var total = Interlocked.Increment(ref done);
                if (total % 100_000 == 0 && Interlocked.Exchange(ref progress, total) < total)
                    Console.WriteLine($"{engine}: {total} registered after {registered.Elapsed.TotalSeconds:F0} s");
                if (budget != Timeout.InfiniteTimeSpan && registered.Elapsed > budget)
                    break;
            }
        })));
        var registration = registered.Elapsed;
        if (done < count)
            Console.WriteLine($"{engine}: registration stopped after {budget.TotalSeconds:F0} s at {done} of {count} endpoints");
        count = done;
        Console.WriteLine($"{engine}: registered {count} endpoints in {registration.TotalSeconds:F1} s with {writers} writers: {count / registration.TotalSeconds:F0}/s ({failures} failed)");

        var counter = new CountingStream();
        var sw = Stopwatch.StartNew();
        var version = await server.Store.WriteSnapshotAsync(counter);
        Console.WriteLine($"{engine}: snapshot of {count} endpoints at version {version}: {sw.Elapsed.TotalMilliseconds:F0} ms, {counter.Length / 1e6:F1} MB ({counter.Length / count} bytes/endpoint)");

        var latencies = await MeasureChangeLatencyAsync(server, writer, Math.Min(changes, count));
        latencies.Sort();
        Console.WriteLine($"{engine}: change-to-gateway latency over {latencies.Count} tag changes: p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");
        return failures == 0 && counter.Length > count * 100L ? 0 : 1;
    }

    private static EmsResult Register(EmsStore store, int i)
    {
        using var facts = JsonDocument.Parse("""{"av":{"running":true},"os":{"build":22631}}""");
        var request = new EndpointReportRequest(i.ToString("X32"), "DESKTOP-" + i, "user" + i, "Microsoft Windows 11", "10.0.22631", "7.4.5.1949",
            $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", [$"00-0c-29-{i >> 16 & 255:x2}-{i >> 8 & 255:x2}-{i & 255:x2}"], facts.RootElement);
        if (!EndpointReport.TryCreate(request, null, out var report, out var error))
            throw new InvalidOperationException(error);
        return store.Report(report!, "198.51.100.7", mustExist: false);
    }

    /// <summary>Sequential tag changes; each one's time from before the commit until its version is read off the stream.</summary>
    private static async Task<List<double>> MeasureChangeLatencyAsync(EmsServer server, EmsStore writer, int changes)
    {
        using var client = new HttpClient(PostureGate.Ems.Tls.EmsCertificatePinning.CreateHandler(server.CertificateFingerprint))
        {
            BaseAddress = new Uri(server.Url),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        var since = writer.CurrentVersion();
        using var response = await client.GetAsync(EmsApiRoutes.Changes + $"?since={since}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var latencies = new List<double>(changes);
        for (var i = 0; i < changes; i++)
        {
            var sw = Stopwatch.StartNew();
            var result = i % 2 == 0 ? writer.AssignTag("bench", i.ToString("X32")) : writer.UnassignTag("bench", (i - 1).ToString("X32"));
            if (!result.Succeeded)
                throw new InvalidOperationException(result.Detail);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal) && long.Parse(line.AsSpan(4)) >= result.Version)
                    break;
            }
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }
        return latencies;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
