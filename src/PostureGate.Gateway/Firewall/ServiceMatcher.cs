// FortiOS firewall services reduced to what a packet header shows: IP protocol
// and destination port ranges. `ALL` matches everything.
namespace PostureGate.Gateway.Firewall;

public readonly record struct ServiceRule(byte Protocol, ushort PortLow, ushort PortHigh)
{
    /// <summary>Protocol 0 means any protocol (FortiOS `ALL`).</summary>
    public bool Matches(byte protocol, ushort dstPort) =>
        Protocol == 0 || (Protocol == protocol && (protocol is not (6 or 17 or 132) || (dstPort >= PortLow && dstPort <= PortHigh)));
}

public sealed class ServiceMatcher(IReadOnlyList<ServiceRule> rules)
{
    public static ServiceMatcher All { get; } = new([new ServiceRule(0, 0, 65535)]);

    public IReadOnlyList<ServiceRule> Rules { get; } = rules;

    public bool Matches(byte protocol, ushort dstPort)
    {
        foreach (var r in Rules)
            if (r.Matches(protocol, dstPort))
                return true;
        return false;
    }

    /// <summary>The predefined FortiOS services PostureGate knows (FortiOS `config firewall service custom` defaults).</summary>
    public static bool TryGetPredefined(string name, out ServiceMatcher matcher)
    {
        ServiceRule[]? rules = name switch
        {
            "ALL" => [new(0, 0, 65535)],
            "ALL_TCP" => [new(6, 1, 65535)],
            "ALL_UDP" => [new(17, 1, 65535)],
            "ALL_ICMP" => [new(1, 0, 65535)],
            "PING" => [new(1, 0, 65535)],
            "HTTP" => [new(6, 80, 80)],
            "HTTPS" => [new(6, 443, 443)],
            "SSH" => [new(6, 22, 22)],
            "DNS" => [new(6, 53, 53), new(17, 53, 53)],
            _ => null,
        };
        matcher = rules is null ? All : new ServiceMatcher(rules);
        return rules is not null;
    }
}
