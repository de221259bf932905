// The data plane's packet hook (IInnerPacketPolicy) answered by the firewall
// policy engine. Inbound (decrypted, from a tunnel): srcintf is the tunnel's
// phase1, dstintf the configured interface the kernel routes the destination
// through. Outbound (from the LAN into a tunnel): PostureGate keeps no session
// table, so a packet passes when a policy allows it toward the tunnel, or when
// it is the reverse of what a policy allows out of the tunnel (a reply).
using PostureGate.Config.Model;
using PostureGate.Esp;
using PostureGate.Gateway.Firewall;

namespace PostureGate.Gateway.Composition;

public sealed class TunnelFirewall(Func<int, string?> tunnelPhase1, Func<uint, string?> routeInterface) : IInnerPacketPolicy
{
    private volatile FirewallPolicySet _policies = new([]);

    public FirewallPolicySet Policies
    {
        get => _policies;
        set => _policies = value;
    }

    public bool AllowInbound(ReadOnlySpan<byte> packet, int tunnelId)
    {
        var phase1 = tunnelPhase1(tunnelId);
        if (phase1 is null || !FirewallPolicySet.TryReadIpv4(packet, phase1, null, out var f))
            return false;
        return _policies.Allows(f with { DestinationInterface = routeInterface(f.Destination) });
    }

    public bool AllowOutbound(ReadOnlySpan<byte> packet, int tunnelId)
    {
        var phase1 = tunnelPhase1(tunnelId);
        if (phase1 is null || !FirewallPolicySet.TryReadIpv4(packet, "", phase1, out var f))
            return false;
        var forward = f with { SourceInterface = routeInterface(f.Source) ?? "" };
        foreach (var p in _policies.Policies)
        {
            if (p.Action == PolicyAction.Accept && p.Matches(forward))
                return true;
            // A reply: the reversed packet would leave the tunnel through an accepting policy.
            // Ports are not reversed: ServiceMatcher keys on the destination port of the request.
            var reply = new PacketFacts(phase1, forward.SourceInterface, f.Destination, f.Source, f.Protocol, 0, f.Length);
            if (p.Action == PolicyAction.Accept && p.SourceInterfaces.Contains(phase1) &&
                (p.DestinationInterfaces.Contains("any") || p.DestinationInterfaces.Contains(reply.DestinationInterface ?? "")) &&
                p.Source.Contains(reply.Source) && p.Destination.Contains(reply.Destination))
                return true;
        }
        return false;
    }
}
