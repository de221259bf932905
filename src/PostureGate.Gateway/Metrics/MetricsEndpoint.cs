// The value of `--metrics`: ADDRESS:PORT (IPv6 in brackets), with an explicit address so a
// metrics port is never opened on every interface by accident (0.0.0.0 must be written out).
using System.Net;

namespace PostureGate.Gateway.Metrics;

public static class MetricsEndpoint
{
    public static bool TryParse(string text, out IPEndPoint? endpoint)
    {
        endpoint = null;
        // IPEndPoint.TryParse takes a bare address as port 0: a port is required here.
        if (!IPEndPoint.TryParse(text, out var parsed) || parsed.Port == 0 || !text.Contains(':', StringComparison.Ordinal)
            || (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !text.StartsWith('[')))
            return false;
        endpoint = parsed;
        return true;
    }
}
