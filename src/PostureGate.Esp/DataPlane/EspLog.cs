// The ESP data plane's log messages (source-generated): SAs are named by SPI and tunnel, never by key — PostureGate's own.
using Microsoft.Extensions.Logging;

namespace PostureGate.Esp;

// Key material never reaches a log message: SAs are named by SPI and tunnel only.
internal static partial class EspLog
{
    [LoggerMessage(1, LogLevel.Information, "ESP data plane started on {Local} with TUN {Tun} (mtu {Mtu})")]
    public static partial void Started(ILogger logger, System.Net.IPEndPoint local, string tun, int mtu);

    [LoggerMessage(2, LogLevel.Information, "installed CHILD_SA in 0x{InboundSpi:x8} out 0x{OutboundSpi:x8} for tunnel {TunnelId} ({VirtualIp})")]
    public static partial void Installed(ILogger logger, uint inboundSpi, uint outboundSpi, int tunnelId, System.Net.IPAddress virtualIp);

    [LoggerMessage(3, LogLevel.Information, "deleted CHILD_SA in 0x{InboundSpi:x8}")]
    public static partial void Deleted(ILogger logger, uint inboundSpi);

    [LoggerMessage(4, LogLevel.Information, "SA 0x{Spi:x8} ({Direction}) of tunnel {TunnelId} reached its {Severity} {Limit} lifetime")]
    public static partial void Expired(ILogger logger, uint spi, string direction, int tunnelId, string severity, LifetimeLimit limit);

    [LoggerMessage(5, LogLevel.Warning, "ESP {Loop} loop: device error")]
    public static partial void DeviceError(ILogger logger, string loop, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "IKE datagram handler failed")]
    public static partial void IkeHandlerFailed(ILogger logger, Exception exception);
}
