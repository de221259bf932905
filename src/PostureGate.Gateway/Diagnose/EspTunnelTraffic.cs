// The tunnel list's traffic figures from the ESP data planes (one per listen address): their
// installers know which tunnel and CHILD_SAs an instance has, their counters what went through.
// Without a data plane (control-plane-only gateway) the in-memory installer lists the CHILD_SAs.
using PostureGate.Esp;
using PostureGate.Ike.Kernel;
using PostureGate.Kernel;

namespace PostureGate.Gateway.Diagnose;

internal sealed class EspTunnelTraffic(IReadOnlyList<(EspChildSaInstaller Installer, EspDataPlane Esp)> planes, InMemoryChildSaInstaller? memory) : ITunnelTraffic
{
    // Per instance through the installers' own index: a list of 100,000 tunnels must not scan every SA for each.
    public IEnumerable<ChildSaInstallation> InstalledChildren(string instance) => memory is not null
        ? memory.InstalledFor(instance)
        : planes.SelectMany(d => d.Installer.InstalledFor(instance));

    public InstanceTraffic Instance(string instance)
    {
        foreach (var (installer, esp) in planes)
        {
            if (!installer.TryGetTunnelId(instance, out var id) || !esp.TryGetTunnelCounters(id, out var t))
                continue;
            long sel = 0, pol = 0, rep = 0, auth = 0;
            foreach (var c in installer.InstalledFor(instance))
            {
                if (esp.TryGetChildSaCounters(c.InboundSpi, out var i, out var o))
                {
                    sel += (long)i.SelectorDrops;
                    pol += (long)(i.PolicyDrops + o.PolicyDrops);
                    rep += (long)i.ReplayDrops;
                    auth += (long)i.AuthFailures;
                }
            }
            return new InstanceTraffic((long)t.RxPackets, (long)t.TxPackets, (long)t.RxBytes, (long)t.TxBytes,
                (long?)t.InboundIdle?.TotalSeconds, (long?)t.OutboundIdle?.TotalSeconds, sel, pol, rep, auth);
        }
        return default;
    }

    public ChildTraffic Child(uint inboundSpi)
    {
        foreach (var (_, esp) in planes)
        {
            if (esp.TryGetChildSaCounters(inboundSpi, out var i, out var o))
                return new ChildTraffic((long)i.Packets, (long)i.Bytes, (long)o.Packets, (long)o.Bytes);
        }
        return default;
    }
}
