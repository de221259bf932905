// The kernel routes that send each dial-up pool (`ipv4-start-ip`..`ipv4-end-ip`, as the fewest
// prefixes covering it) into the TUN device of its phase1: `ip route replace PREFIX dev TUN`.
// Applied at start and again on every reload, so a pool that a SIGHUP adds gets its route and a
// pool it drops loses it (`ip route del`). Control plane only. The routes leave with the device.
using Microsoft.Extensions.Logging;
using PostureGate.Net;
using PostureGate.Platform;

namespace PostureGate.Gateway.Net;

public sealed class PoolRoutes(Func<string[], HostCommandResult> ip, ILogger log)
{
    private readonly HashSet<(Ipv4Subnet Prefix, string Device)> _installed = [];

    /// <summary>What is installed now (the ones the kernel accepted).</summary>
    public IReadOnlyCollection<(Ipv4Subnet Prefix, string Device)> Installed => _installed;

    /// <summary>Makes the installed routes <paramref name="wanted"/>: adds the new ones, deletes the ones no longer wanted.</summary>
    public void Apply(IEnumerable<(Ipv4Subnet Prefix, string Device)> wanted)
    {
        var next = wanted.ToHashSet();
        foreach (var route in _installed.Where(r => !next.Contains(r)).ToList())
        {
            Run("del", route);
            _installed.Remove(route);
        }
        foreach (var route in next.Where(r => !_installed.Contains(r)))
        {
            // A refused route stays out of the set, so the next reload tries it again.
            if (Run("replace", route))
                _installed.Add(route);
        }
    }

    private bool Run(string verb, (Ipv4Subnet Prefix, string Device) route)
    {
        var r = ip(["route", verb, route.Prefix.ToString(), "dev", route.Device]);
        if (!r.Succeeded)
            log.LogWarning("route {Verb} {Prefix} dev {Tun}: {Error}", verb, route.Prefix, route.Device, r.Error);
        return r.Succeeded;
    }
}
