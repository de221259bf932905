// What operators watch the gateway with: the IKE and ESP meters (always counting; exported only
// with --metrics) and the optional Wireshark key tables (--wireshark-keys). See docs/observability.md.
using PostureGate.Esp;
using PostureGate.Gateway.Diagnose;
using PostureGate.Gateway.Metrics;
using PostureGate.Ike.Diagnostics;
using PostureGate.Kernel;

namespace PostureGate.Gateway.Composition;

public sealed partial class GatewayHost
{
    private IkeMetrics? _ikeMetrics;
    private EspMetrics? _espMetrics;
    private PrometheusListener? _prometheus;
    private WiresharkKeyLog? _wiresharkKeys;

    /// <summary>Where `--metrics` serves Prometheus (null when off).</summary>
    public string? MetricsUrl => _prometheus?.Url;

    // Before the IKE manager exists: the key log wraps the installer the manager is given.
    private IChildSaInstaller StartKeyLog(IChildSaInstaller installer)
    {
        if (_options.WiresharkKeysDirectory is not { } dir)
            return installer;
        try
        {
            _wiresharkKeys = WiresharkKeyLog.Open(dir, _log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayStartException($"--wireshark-keys {dir}: {e.Message}");
        }
        return new KeyLoggingChildSaInstaller(installer, _wiresharkKeys);
    }

    private Action<ulong, ulong, Ike.Crypto.IkeSaKeys>? IkeKeyLog => _wiresharkKeys is { } k ? k.IkeSa : null;

    // After the manager and the data planes exist.
    private void StartMetrics()
    {
        _ikeMetrics = new IkeMetrics(Ike);
        _espMetrics = new EspMetrics(() => _dataPlanes.Select(d => (d.Phase1, d.Esp)));
        if (_options.MetricsListen is { } listen)
            _prometheus = PrometheusListener.Start(listen, PrometheusListener.GatewayMeters);
    }

    private void StopObservability()
    {
        _prometheus?.Dispose();
        _ikeMetrics?.Dispose();
        _espMetrics?.Dispose();
        _wiresharkKeys?.Dispose();
    }
}
