// Where the admin console listens (FortiOS CLI reference, "config system interface" allowaccess,
// "config system global" admin-sport): admin-sport on the address of each interface with
// `allowaccess https`, that interface's own address when it has none configured; on 127.0.0.1
// alone when no interface allows https (reach it over ssh -L), never on every address by default.
using System.Net;
using System.Net.Sockets;
using PostureGate.Config.Host;
using PostureGate.Config.Model;

namespace PostureGate.Gateway.Admin;

internal static class AdminEndpoints
{
    /// <summary>The endpoints for <paramref name="config"/>'s console; empty when admin-sport is not set.</summary>
    public static IReadOnlyList<IPEndPoint> Of(GatewayConfig config, IHostInterfaceSource host, int? portOverride = null)
    {
        if (config.Global.AdminSport is not { } configured)
            return [];
        var port = portOverride ?? configured;
        var allowed = config.Interfaces.Where(i => i.AllowHttps).ToList();
        if (allowed.Count == 0)
            return [new IPEndPoint(IPAddress.Loopback, port)];
        var resolver = new InterfaceResolver(host);
        var addresses = new List<IPAddress>();
        foreach (var intf in allowed)
        {
            if (intf.HasAddress)
                addresses.Add(intf.Ip.Address);
            else if (resolver.Resolve(intf).Device is { } device)
                addresses.AddRange(device.Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork));
        }
        return addresses.Distinct().Select(a => new IPEndPoint(a, port)).ToArray();
    }
}
