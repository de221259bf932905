// FortiOS CLI reference, `config firewall address`: ipmask, iprange, dynamic (ZTNA tag) and geography addresses, and predefined `all`.
using System.Net;

namespace PostureGate.Config.Model;

/// <summary><c>config firewall address</c>.</summary>
public sealed record FirewallAddress : AddressObject
{
    /// <summary>The predefined <c>all</c>: 0.0.0.0/0.</summary>
    public static FirewallAddress All { get; } = new() { Name = "all", Type = AddressType.IpMask, Subnet = IpPrefix.Any, IsPredefined = true };

    public required AddressType Type { get; init; }
    public IpPrefix Subnet { get; init; } = IpPrefix.Any;
    public IPAddress? StartIp { get; init; }
    public IPAddress? EndIp { get; init; }
    public AddressSubType SubType { get; init; }
    /// <summary>Two-letter country code of a geography address.</summary>
    public string? Country { get; init; }
    /// <summary>The EMS tag behind a dynamic <c>ems-tag</c> address.</summary>
    public string? ObjTag { get; init; }
    public string? Comment { get; init; }
    public string? Uuid { get; init; }
    public bool IsPredefined { get; init; }

    public override bool Contains(IPAddress address) => Type switch
    {
        AddressType.IpMask => Subnet.Contains(address),
        AddressType.IpRange => IpPrefix.ToUInt32(address) is var v && v >= IpPrefix.ToUInt32(StartIp!) && v <= IpPrefix.ToUInt32(EndIp!),
        _ => false,
    };

    public override IEnumerable<(IPAddress Start, IPAddress End)> Ranges()
    {
        switch (Type)
        {
            case AddressType.IpMask:
                var net = IpPrefix.ToUInt32(Subnet.Network);
                yield return (Subnet.Network, IpPrefix.ToAddress(net | ~Subnet.Mask));
                break;
            case AddressType.IpRange:
                yield return (StartIp!, EndIp!);
                break;
        }
    }
}
