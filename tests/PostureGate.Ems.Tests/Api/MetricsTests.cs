// `pgate ems --metrics`: /metrics on the EMS's own listener in Prometheus's text format, with
// API requests under their route pattern (never the caller's path) and status; absent unless asked.
using System.Net;

namespace PostureGate.Ems.Tests.Api;

public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_CountRequestsByRoutePatternAndStatus_AndTheEndpoints()
    {
        await using var ems = await TestEms.StartAsync(metrics: true);
        var uid = "ATTACKER-CHOSEN-UID-" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.NotFound, (await ems.Gateway.GetAsync(EmsApiRoutes.Format(EmsApiRoutes.EndpointByUid, ("uid", uid)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ems.Client.GetAsync(EmsApiRoutes.Snapshot)).StatusCode);

        var text = await ems.Client.GetStringAsync("/metrics");

        Assert.Contains("# TYPE pgate_ems_api_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains($"route=\"{EmsApiRoutes.EndpointByUid}\"", text, StringComparison.Ordinal);
        Assert.Contains(Line(text, EmsApiRoutes.EndpointByUid), l => l.Contains("status=\"404\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(Line(text, EmsApiRoutes.Snapshot), l => l.Contains("status=\"401\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.DoesNotContain(uid, text, StringComparison.Ordinal);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("pgate_ems_endpoints{", StringComparison.Ordinal) && l.EndsWith(" 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_NotServedUnlessAsked()
    {
        await using var ems = await TestEms.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await ems.Client.GetAsync("/metrics")).StatusCode);
    }

    private static IEnumerable<string> Line(string text, string route) =>
        text.Split('\n').Where(l => l.StartsWith("pgate_ems_api_requests_total{", StringComparison.Ordinal) && l.Contains($"route=\"{route}\"", StringComparison.Ordinal));
}
