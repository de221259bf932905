// `pgate client --tun`: the client's data path, wireguard-go's three seams on the client side.
//   1. a TUN device; after IKE_AUTH it gets the virtual IP (RFC 7296 §3.15.1 INTERNAL_IP4_ADDRESS)
//      and a route per split network, so the kernel hands exactly that traffic to us;
//   2. the NAT-T socket, shared with IKE (RFC 3948 §2.2): ESP-in-UDP goes to the data plane,
//      marker-prefixed IKE back to the IkeSaManager through IkeReceived;
//   3. the EspDataPlane between them with one tunnel installed for 0.0.0.0: on a client every
//      destination the routes send into the TUN device belongs to the one CHILD_SA.
using System.Net;
using Microsoft.Extensions.Logging;
using PostureGate.Esp;
using PostureGate.Esp.Devices.Linux;
using PostureGate.Kernel;
using PostureGate.Net;
using PostureGate.Platform;

namespace PostureGate.Client;

public sealed class ClientDataPath : IDisposable
{
    private readonly LinuxTunDevice _tun;
    private readonly LinuxUdpBind _bind;
    private readonly EspDataPlane _esp;
    private NatTIkeHandler? _ikeReceived;

    private ClientDataPath(LinuxTunDevice tun, LinuxUdpBind bind, EspDataPlaneOptions options, ILoggerFactory? loggers)
    {
        _tun = tun;
        _bind = bind;
        _esp = new EspDataPlane(tun, bind, options with
        {
            IkeReceived = (message, remote) => _ikeReceived?.Invoke(message, remote),
        }, loggers?.CreateLogger<EspDataPlane>());
    }

    /// <summary>Creates TUN device <paramref name="name"/> and binds the NAT-T socket on an
    /// ephemeral port of <paramref name="local"/>; needs root or CAP_NET_ADMIN.</summary>
    /// <exception cref="TunDeviceException">The device cannot be created.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The socket cannot be bound.</exception>
    public static ClientDataPath Open(string name, IPAddress local, DataPlaneTuning? tuning = null, ILoggerFactory? loggers = null)
    {
        tuning ??= new DataPlaneTuning();
        var tun = LinuxTunDevice.Create(name, offload: tuning.TunOffload);
        try
        {
            var path = new ClientDataPath(tun, LinuxUdpBind.Open(new IPEndPoint(local, 0)), tuning.Esp, loggers);
            path._esp.Start();
            return path;
        }
        catch
        {
            tun.Dispose();
            throw;
        }
    }

    public string DeviceName => _tun.Name;

    /// <summary>The NAT-T socket's address: IKE after the port float and ESP-in-UDP leave from here.</summary>
    public IPEndPoint LocalEndPoint => _bind.LocalEndPoint;

    public IEspDataPlane DataPlane => _esp;

    /// <summary>Marker-prefixed IKE received on the NAT-T socket, marker removed.</summary>
    public void OnIke(NatTIkeHandler handler) => _ikeReceived = handler;

    public void SendIke(ReadOnlySpan<byte> message, IPEndPoint remote) => _esp.SendIke(message, remote);

    /// <summary>
    /// Gives the device the virtual IP (only that one) and routes <paramref name="networks"/> into it with that
    /// address as source. Returns the first `ip` error, or null.
    /// </summary>
    public string? Configure(IPAddress virtualIp, IEnumerable<Ipv4Subnet> networks)
    {
        // A reconnect may bring another address: drop the old one (its routes go with it).
        if (Ip("addr", "flush", "dev", _tun.Name) is { } flushError)
            return flushError;
        if (Ip("addr", "replace", $"{virtualIp}/32", "dev", _tun.Name) is { } addrError)
            return addrError;
        foreach (var n in networks)
        {
            if (Ip("route", "replace", n.ToString(), "dev", _tun.Name, "src", virtualIp.ToString()) is { } routeError)
                return routeError;
        }
        return null;
    }

    /// <summary>The networks behind the gateway, as routes: the split networks it announced
    /// (RFC 7296 §3.15.2 INTERNAL_IP4_SUBNET), else its traffic selectors (strongSwan narrows TSr instead).</summary>
    public static IReadOnlyList<Ipv4Subnet> RoutesFor(IReadOnlyList<Ipv4Subnet> splitNetworks, ChildSaInstallation child) =>
        splitNetworks.Count > 0 ? splitNetworks : [.. child.RemoteSelectors.SelectMany(r => Ipv4Subnet.Cover(r.StartAddress, r.EndAddress))];

    private static string? Ip(params string[] args) => HostCommand.Ip(null, args) is { Succeeded: false } r ? r.ToString() : null;

    public void Dispose()
    {
        _esp.Dispose();
        _bind.Dispose();
        // Closing the TUN descriptor deletes the device and with it its address and routes.
        _tun.Dispose();
    }
}
