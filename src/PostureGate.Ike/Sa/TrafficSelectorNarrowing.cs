// RFC 7296 §2.9 traffic selector negotiation, responder side: the responder "narrows" the
// initiator's TSi/TSr to a subset of what it proposed and what local policy allows. With a
// mode-cfg virtual IP the TSi becomes the leased /32 (what strongSwan and FortiOS do for
// dial-up clients that ask for 0.0.0.0-255.255.255.255).
using PostureGate.Ike.Kernel;

namespace PostureGate.Ike.Sa;

public static class TrafficSelectorNarrowing
{
    /// <summary>The intersection of two selectors, or null when they share nothing (address, protocol and ports).</summary>
    public static SelectorRange? Intersect(SelectorRange a, SelectorRange b)
    {
        byte proto;
        if (a.Protocol == 0)
            proto = b.Protocol;
        else if (b.Protocol == 0 || b.Protocol == a.Protocol)
            proto = a.Protocol;
        else
            return null;
        var start = Math.Max(a.StartAddress, b.StartAddress);
        var end = Math.Min(a.EndAddress, b.EndAddress);
        var portStart = Math.Max(a.StartPort, b.StartPort);
        var portEnd = Math.Min(a.EndPort, b.EndPort);
        if (start > end || portStart > portEnd)
            return null;
        return new SelectorRange(start, end, proto, portStart, portEnd);
    }

    /// <summary>Every non-empty intersection of <paramref name="offered"/> with <paramref name="allowed"/>, without duplicates.</summary>
    public static List<SelectorRange> Narrow(IReadOnlyList<SelectorRange> offered, IReadOnlyList<SelectorRange> allowed)
    {
        var result = new List<SelectorRange>();
        foreach (var o in offered)
            foreach (var a in allowed)
                if (Intersect(o, a) is { } i && !result.Contains(i))
                    result.Add(i);
        return result;
    }

    /// <summary>
    /// The initiator's side of the CHILD_SA: its virtual IP when one was leased (must lie inside
    /// what it offered), else what it offered.
    /// </summary>
    public static List<SelectorRange> NarrowInitiator(IReadOnlyList<SelectorRange> offeredTsi, System.Net.IPAddress? virtualIp) =>
        virtualIp is null ? [.. offeredTsi] : Narrow(offeredTsi, [SelectorRange.Host(virtualIp)]);
}
