// docs/grafana/posturegate.json: valid JSON in Grafana's dashboard shape, every panel queries
// Prometheus, and every metric an expression names is one docs/observability.md documents (so a
// renamed metric breaks this test, not an operator's dashboard). The interop test
// PrometheusScrapeInteropTests runs every expression through a real Prometheus against real scrapes.
using System.Text.Json;
using System.Text.RegularExpressions;
using PostureGate.Testing;

namespace PostureGate.Gateway.Tests.Metrics;

public sealed partial class GrafanaDashboardTests
{
    [GeneratedRegex(@"\bpgate_[a-z0-9_]+")]
    private static partial Regex MetricName();

    // The metric tables of docs/observability.md: "| `pgate_…` | type | …".
    [GeneratedRegex(@"(?m)^\| `(pgate_[a-z0-9_]+)` \| (counter|gauge) \|")]
    private static partial Regex DocumentedMetric();

    private static List<string> Expressions()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepoFiles.Find("docs/grafana/posturegate.json")));
        var root = json.RootElement;
        Assert.Equal("posturegate", root.GetProperty("uid").GetString());
        var exprs = new List<string>();
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            if (panel.GetProperty("type").GetString() == "row")
                continue;
            var title = panel.GetProperty("title").GetString();
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has no query");
            foreach (var t in targets)
                exprs.Add(t.GetProperty("expr").GetString() ?? throw new InvalidDataException($"panel '{title}': a target without expr"));
        }
        return exprs;
    }

    [Fact]
    public void EveryExpression_NamesOnlyDocumentedMetrics()
    {
        var documented = DocumentedMetric().Matches(File.ReadAllText(RepoFiles.Find("docs/observability.md"))).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("pgate_esp_batches_total", documented);
        foreach (var expr in Expressions())
        {
            var names = MetricName().Matches(expr).Select(m => m.Value).ToList();
            Assert.True(names.Count > 0, $"no pgate metric in: {expr}");
            foreach (var name in names)
                Assert.True(documented.Contains(name), $"{name} (in {expr}) is not a metric docs/observability.md documents");
        }
    }

    [Fact]
    public void TheDashboard_ShowsEachAreaTheIssueNames()
    {
        var all = string.Join('\n', Expressions());
        foreach (var metric in new[]
                 {
                     "pgate_ike_sa_by_state", "pgate_ike_sa_established_total", "pgate_ike_auth_failures_total", "pgate_posture_decisions_total",
                     "pgate_posture_revocations_total", "pgate_ems_connector_sync_age_seconds", "pgate_ems_connector_state",
                     "pgate_esp_packets_total", "pgate_esp_bytes_total", "pgate_esp_drops_total", "pgate_esp_batches_total",
                     "pgate_ems_endpoints", "pgate_ems_api_requests_total",
                 })
            Assert.Contains(metric, all, StringComparison.Ordinal);
    }
}
