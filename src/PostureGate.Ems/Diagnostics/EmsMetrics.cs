// The EMS's metrics (System.Diagnostics.Metrics, meter "PostureGate.Ems"): API requests by
// route pattern and status (the pattern, never the path a caller chose, so the label set is
// bounded) and the registered endpoints. `pgate ems --metrics` serves them at /metrics on the
// EMS's own HTTPS listener in Prometheus's text format (OpenTelemetry's ASP.NET Core exporter).
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems;

public sealed class EmsMetrics : IDisposable
{
    public const string MeterName = "PostureGate.Ems";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;

    public EmsMetrics(EmsStore store)
    {
        _requests = _meter.CreateCounter<long>("pgate.ems.api.requests", description: "API requests answered, by route pattern and HTTP status");
        _meter.CreateObservableGauge("pgate.ems.endpoints", store.CountEndpoints, description: "endpoints registered with this EMS");
    }

    /// <summary>Middleware (after routing): counts each answered request under its route pattern.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http).ConfigureAwait(false);
        }
        finally
        {
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            _requests.Add(1, new KeyValuePair<string, object?>("route", route),
                new KeyValuePair<string, object?>("method", KnownMethod(http.Request.Method)),
                new KeyValuePair<string, object?>("status", http.Response.StatusCode));
        }
    }

    // A caller may send any method name: only the standard ones become label values.
    private static string KnownMethod(string method) => method switch
    {
        "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD" or "OPTIONS" => method,
        _ => "other",
    };

    public void Dispose() => _meter.Dispose();
}
