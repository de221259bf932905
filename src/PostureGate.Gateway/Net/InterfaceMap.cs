// The configuration's interfaces (`config system interface`, FortiOS names such as "port1") and
// the Linux devices they stand for on this host, resolved by Config.Host.InterfaceResolver; a
// dial-up phase1 is its own TUN device of the same name. Read by the firewall (dstintf of a
// route), the NAT rules (oifname) and the IKE debug lines ("port1 9").
using PostureGate.Config.Host;
using PostureGate.Config.Model;

namespace PostureGate.Gateway.Net;

public sealed class InterfaceMap
{
    private readonly Dictionary<string, string> _linuxToConfigured;

    private InterfaceMap(Dictionary<string, string> linuxToConfigured) => _linuxToConfigured = linuxToConfigured;

    public static InterfaceMap Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public static InterfaceMap Resolve(GatewayConfig config, IHostInterfaceSource host)
    {
        var resolver = new InterfaceResolver(host);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var i in config.Interfaces)
        {
            if (resolver.Resolve(i).Device is { } d)
                map.TryAdd(d.Name, i.Name);
        }
        foreach (var p in config.Phase1Interfaces)
            map[p.Name] = p.Name;
        return new InterfaceMap(map);
    }

    /// <summary>The Linux device of a configured interface, or null when this host has none.</summary>
    public string? LinuxNameOf(INamedInterface intf) => _linuxToConfigured.FirstOrDefault(kv => kv.Value == intf.Name).Key;

    /// <summary>The configured name of a Linux device, O(1) (the firewall asks per packet).</summary>
    public bool TryGetConfigured(string linuxName, out string configured) => _linuxToConfigured.TryGetValue(linuxName, out configured!);
}
