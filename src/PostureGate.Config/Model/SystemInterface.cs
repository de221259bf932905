// FortiOS CLI reference, `config system interface`: an interface, mapped to the Linux one of that name or holding its IP.
namespace PostureGate.Config.Model;

/// <summary>
/// <c>config system interface</c>: stands for the Linux interface of the same name,
/// or the one holding <see cref="Ip"/> (see Host.InterfaceResolver).
/// </summary>
public sealed record SystemInterface : ConfigObject, IKeyed, INamedInterface
{
    public required string Name { get; init; }
    public required string Vdom { get; init; }
    public required IpPrefix Ip { get; init; }
    public required InterfaceType Type { get; init; }
    public string? Alias { get; init; }
    public string? Description { get; init; }
    public required InterfaceStatus Status { get; init; }
    public required int Mtu { get; init; }
    /// <summary>The parent of a VLAN interface.</summary>
    public string? ParentName { get; init; }
    public int? VlanId { get; init; }
    /// <summary><c>set allowaccess https</c>: the admin console listens on this interface's address.</summary>
    public bool AllowHttps { get; init; }

    /// <summary>Whether an address is configured (FortiOS prints 0.0.0.0 0.0.0.0 for none).</summary>
    public bool HasAddress => !Ip.Address.Equals(System.Net.IPAddress.Any);

    string IKeyed.Key => Name;
}
