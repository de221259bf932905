// A real Prometheus server (Debian's `prometheus` package) in the gateway namespace, scraping
// what the test names every second and answering PromQL through its HTTP API (/api/v1/query).
// It runs inside the run's namespace, so `lab.sh down` stops it with the rest; its
// configuration and time-series database live under the run's state directory.
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PostureGate.Interop.Tests.Lab;

/// <summary>One scrape job: <paramref name="Target"/> is ADDRESS:PORT in the gateway namespace.</summary>
public sealed record PrometheusJob(string Name, string Target, bool Https = false);

public sealed partial class InteropLab
{
    /// <summary>Prometheus's own listener, on loopback inside the gateway namespace.</summary>
    public const string PrometheusListen = "127.0.0.1:9090";

    /// <summary>Writes a prometheus.yml with <paramref name="jobs"/> (1 s interval; HTTPS targets
    /// without certificate checks: the lab's EMS certificate is self-signed) and starts Prometheus;
    /// returns once /-/ready answers.</summary>
    public async Task<LabPrometheus> StartPrometheusAsync(params PrometheusJob[] jobs)
    {
        LabRequirements.EnsureToolOrSkip("prometheus", "prometheus");
        LabRequirements.EnsureToolOrSkip("curl", "curl");
        var dir = Path.Combine(StateDir, "prometheus");
        Directory.CreateDirectory(dir);
        var yml = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
        foreach (var job in jobs)
        {
            yml.Append(CultureInfo.InvariantCulture, $"  - job_name: {job.Name}\n");
            if (job.Https)
            {
                yml.Append("    scheme: https\n    tls_config:\n      insecure_skip_verify: true\n");
            }
            yml.Append(CultureInfo.InvariantCulture, $"    static_configs:\n      - targets: [\"{job.Target}\"]\n");
        }
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, yml.ToString());
        var process = StartLab(_env, DaemonLifetime,
            ["exec", RunId, "g", "prometheus", $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}",
             $"--web.listen-address={PrometheusListen}"]);
        _liveLogs.Add(("prometheus", () => process.OutputSoFar));
        var prometheus = new LabPrometheus(this);
        await WaitUntilAsync(async () => (await ExecInGatewayAsync("curl", "-sS", "--fail", $"http://{PrometheusListen}/-/ready")).Succeeded,
            StepTimeout, "prometheus to be ready", process.Completion);
        if (process.Completion.IsCompleted)
        {
            throw new InteropLabException(Explain($"prometheus exited:\n{await process.Completion}\n{yml}"));
        }
        return prometheus;
    }
}

/// <summary>PromQL against the lab's Prometheus (its HTTP API, through curl in the gateway namespace).</summary>
public sealed class LabPrometheus(InteropLab lab)
{
    /// <summary>The samples of an instant query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var json = await GetAsync("/api/v1/query", "query=" + promql);
        var data = json.RootElement.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
        {
            throw new InteropLabException($"{promql}: not an instant vector");
        }
        return [.. data.GetProperty("result").EnumerateArray().Select(r => (
            (IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
            double.Parse(r.GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)))];
    }

    /// <summary>The sum of an instant query's samples (0 when it has none).</summary>
    public async Task<double> SumAsync(string promql) => (await QueryAsync(promql)).Sum(s => s.Value);

    /// <summary>Every metric name Prometheus has stored from its scrapes (/api/v1/label/__name__/values).</summary>
    public async Task<IReadOnlySet<string>> MetricNamesAsync()
    {
        using var json = await GetAsync("/api/v1/label/__name__/values", null);
        return json.RootElement.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Waits (generous ceiling: scrapes run every second) until <paramref name="promql"/> sums to <paramref name="expected"/>.</summary>
    public async Task WaitForSumAsync(string promql, double expected)
    {
        await lab.WaitForAsync(async () => await SumAsync(promql) == expected, TimeSpan.FromSeconds(60),
            $"Prometheus to answer {expected} to {promql}");
    }

    private async Task<JsonDocument> GetAsync(string path, string? urlEncodedQuery)
    {
        string[] args = urlEncodedQuery is null
            ? ["curl", "-sS", "--fail", $"http://{InteropLab.PrometheusListen}{path}"]
            : ["curl", "-sS", "--fail", "-G", $"http://{InteropLab.PrometheusListen}{path}", "--data-urlencode", urlEncodedQuery];
        var r = await lab.ExecInGatewayAsync(args);
        if (!r.Succeeded)
        {
            throw new InteropLabException(lab.Explain($"Prometheus API {path}:\n{r}"));
        }
        var json = JsonDocument.Parse(r.StdOut);
        if (json.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InteropLabException($"Prometheus API {path}: {r.StdOut}");
        }
        return json;
    }
}
