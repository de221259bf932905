// FortiOS predefined firewall services (ALL, HTTPS, DNS, …, as `config firewall service custom` ships them) that policies may name.
namespace PostureGate.Config.Model;

public enum ServiceProtocol { Any, Tcp, Udp, TcpUdp, Icmp }

/// <summary>A FortiOS predefined service (the ones policies here may name).</summary>
public sealed record FirewallService(string Name, ServiceProtocol Protocol, int PortLow, int PortHigh) : IKeyed
{
    /// <summary>FortiOS predefined services (firewall service custom defaults).</summary>
    public static NamedTable<FirewallService> Predefined { get; } = new(
    [
        new("ALL", ServiceProtocol.Any, 0, 0),
        new("ALL_TCP", ServiceProtocol.Tcp, 1, 65535),
        new("ALL_UDP", ServiceProtocol.Udp, 1, 65535),
        new("ALL_ICMP", ServiceProtocol.Icmp, 0, 0),
        new("PING", ServiceProtocol.Icmp, 0, 0),
        new("HTTP", ServiceProtocol.Tcp, 80, 80),
        new("HTTPS", ServiceProtocol.Tcp, 443, 443),
        new("SSH", ServiceProtocol.Tcp, 22, 22),
        new("DNS", ServiceProtocol.TcpUdp, 53, 53),
    ]);

    string IKeyed.Key => Name;
}
