// `pgate gateway --metrics ADDR:PORT`: the gateway's meters (PostureGate.Ike, .Esp, .Posture,
// .EmsConnector) on http://ADDR:PORT/metrics in Prometheus's text exposition format, through
// OpenTelemetry's exporter on an HttpListener. Off unless the option is given.
using System.Net;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace PostureGate.Gateway.Metrics;

public sealed class PrometheusListener : IDisposable
{
    /// <summary>The meters of every layer that runs in the gateway process.</summary>
    public static readonly string[] GatewayMeters =
        [Ike.Diagnostics.IkeMetrics.MeterName, Esp.EspMetrics.MeterName, Posture.PostureMetrics.MeterName, Posture.EmsConnectorMetrics.MeterName];

    private readonly MeterProvider _provider;

    private PrometheusListener(MeterProvider provider, string url)
    {
        _provider = provider;
        Url = url;
    }

    /// <summary>Where Prometheus scrapes (http://ADDR:PORT/metrics).</summary>
    public string Url { get; }

    /// <summary>Listens on <paramref name="endpoint"/>; throws GatewayStartException when it cannot.</summary>
    public static PrometheusListener Start(IPEndPoint endpoint, IEnumerable<string> meters)
    {
        // HttpListener's prefix: "+" is every address; an IPv6 literal goes in brackets.
        var host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "+"
            : endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        try
        {
            var provider = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(r => r.AddService("pgate-gateway"))
                .AddMeter([.. meters])
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = host;
                    o.Port = endpoint.Port;
                    o.ScrapeEndpointPath = "/metrics";
                    // Each scrape reads the counters afresh (they are cheap to read).
                    o.ScrapeResponseCacheDurationMilliseconds = 0;
                })
                .Build();
            return new PrometheusListener(provider, $"http://{(host == "+" ? endpoint.Address.ToString() : host)}:{endpoint.Port}/metrics");
        }
        catch (Exception e) when (e is HttpListenerException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The exporter wraps HttpListener's own reason (address in use, not ours) in a general message.
            var reason = e.InnerException is { } inner ? inner.Message : e.Message;
            throw new Composition.GatewayStartException($"--metrics {endpoint}: cannot listen: {reason}");
        }
    }

    public void Dispose() => _provider.Dispose();
}
