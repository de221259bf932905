// Compiles `config firewall policy` into the policy engine's form, and derives
// the nftables masquerade rules of `set nat enable` policies.
using System.Net;
using PostureGate.Config.Model;
using PostureGate.Gateway.Firewall;
using PostureGate.Net;

namespace PostureGate.Gateway.Composition;

public static class FirewallBuilder
{
    /// <param name="dynamicResolver">Resolves a dynamic (EMS tag) address to a live matcher; null matches nothing.</param>
    public static FirewallPolicySet Build(GatewayConfig config, Func<FirewallAddress, IAddressMatcher?>? dynamicResolver = null) =>
        new(config.Policies.Where(p => p.Enabled).Select(p => Compile(p, dynamicResolver)).ToArray());

    private static CompiledPolicy Compile(FirewallPolicy p, Func<FirewallAddress, IAddressMatcher?>? dyn) => new()
    {
        Id = (int)p.Id,
        Name = p.Name ?? "",
        SourceInterfaces = p.SourceInterfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal),
        DestinationInterfaces = p.DestinationInterfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal),
        Source = Addresses(p.SourceAddresses, dyn),
        Destination = Addresses(p.DestinationAddresses, dyn),
        Service = new ServiceMatcher(p.Services.SelectMany(Rules).ToArray()),
        Action = p.Action == PolicyAction.Accept ? PolicyAction.Accept : PolicyAction.Deny,
        Nat = p.Nat,
    };

    private static AddressSet Addresses(IEnumerable<AddressObject> objects, Func<FirewallAddress, IAddressMatcher?>? dyn)
    {
        var ranges = new List<(uint, uint)>();
        var dynamic = new List<IAddressMatcher>();
        foreach (var leaf in Flatten(objects))
        {
            if (leaf.Type == AddressType.Dynamic)
            {
                if (dyn?.Invoke(leaf) is { } m)
                    dynamic.Add(m);
                continue;
            }
            foreach (var (s, e) in leaf.Ranges())
                ranges.Add((Ipv4.ToUInt32(s), Ipv4.ToUInt32(e)));
        }
        return new AddressSet(ranges, dynamic);
    }

    private static IEnumerable<FirewallAddress> Flatten(IEnumerable<AddressObject> objects)
    {
        foreach (var o in objects)
        {
            switch (o)
            {
                case FirewallAddress a:
                    yield return a;
                    break;
                case AddressGroup g:
                    foreach (var m in Flatten(g.Members))
                        yield return m;
                    break;
            }
        }
    }

    private static IEnumerable<ServiceRule> Rules(FirewallService s)
    {
        var lo = (ushort)s.PortLow;
        var hi = (ushort)(s.PortHigh == 0 ? 65535 : s.PortHigh);
        return s.Protocol switch
        {
            ServiceProtocol.Any => [new ServiceRule(0, 0, 65535)],
            ServiceProtocol.Tcp => [new ServiceRule(6, lo, hi)],
            ServiceProtocol.Udp => [new ServiceRule(17, lo, hi)],
            ServiceProtocol.TcpUdp => [new ServiceRule(6, lo, hi), new ServiceRule(17, lo, hi)],
            ServiceProtocol.Icmp => [new ServiceRule(1, 0, 65535)],
            _ => [],
        };
    }

    /// <summary>
    /// `set nat enable` on a policy from a dial-up tunnel: masquerade its pool on the
    /// policy's egress interfaces. <paramref name="linuxName"/> maps a configured interface to its device.
    /// </summary>
    public static IEnumerable<MasqueradeRule> Masquerade(GatewayConfig config, Func<INamedInterface, string?> linuxName)
    {
        foreach (var p in config.Policies.Where(p => p.Enabled && p.Nat && p.Action == PolicyAction.Accept))
        {
            foreach (var src in p.SourceInterfaces.OfType<Phase1Interface>())
            {
                if (!src.TryGetIpv4Pool(out var start, out var end))
                    continue;
                foreach (var dst in p.DestinationInterfaces)
                {
                    if (linuxName(dst) is { } dev)
                        yield return new MasqueradeRule(dev, $"{start}-{end}");
                }
            }
        }
    }
}
