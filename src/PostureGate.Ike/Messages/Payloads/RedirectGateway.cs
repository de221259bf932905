// RFC 5685 §9.2: the "New Responder GW Identity" of a REDIRECT (and the original gateway of a
// REDIRECTED_FROM, §9.3): an IPv4 or IPv6 address, or an FQDN (a host name as Net/HostName checks
// it). The same value configures a redirect target.
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PostureGate.Ike.Messages.Payloads;

public sealed record RedirectGateway
{
    private RedirectGateway(GatewayIdentityType type, IPAddress? address, string? fqdn)
    {
        Type = type;
        Address = address;
        Fqdn = fqdn;
    }

    public GatewayIdentityType Type { get; }

    /// <summary>The address, for <see cref="GatewayIdentityType.Ipv4Address"/> and <see cref="GatewayIdentityType.Ipv6Address"/>.</summary>
    public IPAddress? Address { get; }

    /// <summary>The name, for <see cref="GatewayIdentityType.Fqdn"/> (ASCII, as sent).</summary>
    public string? Fqdn { get; }

    public static RedirectGateway FromAddress(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => new(GatewayIdentityType.Ipv4Address, address, null),
        AddressFamily.InterNetworkV6 => new(GatewayIdentityType.Ipv6Address, address, null),
        _ => throw new ArgumentException($"{address} is neither IPv4 nor IPv6", nameof(address)),
    };

    /// <summary>An address, else a host name; the reason when <paramref name="text"/> is neither.</summary>
    public static bool TryParse(string text, out RedirectGateway? gateway, out string? reason)
    {
        reason = PostureGate.Net.HostName.AddressOrNameProblem(text, out var address);
        gateway = reason is not null ? null
            : address is not null ? FromAddress(address) : new RedirectGateway(GatewayIdentityType.Fqdn, null, text);
        return reason is null;
    }

    /// <summary>The identity's octets on the wire (the GW Ident Len counts them).</summary>
    public byte[] IdentityBytes() => Address is { } a ? a.GetAddressBytes() : Encoding.ASCII.GetBytes(Fqdn!);

    /// <summary>Reads a GW identity of <paramref name="type"/>; the reason when the octets cannot be one.</summary>
    internal static bool TryRead(byte type, ReadOnlySpan<byte> identity, out RedirectGateway? gateway, out string? reason)
    {
        gateway = null;
        switch ((GatewayIdentityType)type)
        {
            case GatewayIdentityType.Ipv4Address when identity.Length != 4:
                reason = $"IPv4 gateway identity of {identity.Length} octets";
                return false;
            case GatewayIdentityType.Ipv6Address when identity.Length != 16:
                reason = $"IPv6 gateway identity of {identity.Length} octets";
                return false;
            case GatewayIdentityType.Ipv4Address or GatewayIdentityType.Ipv6Address:
                gateway = FromAddress(new IPAddress(identity));
                reason = null;
                return true;
            case GatewayIdentityType.Fqdn:
                // Only the characters a host name may hold, so the name can be shown and logged as it is.
                foreach (var b in identity)
                {
                    if (b is not ((byte)'-' or (byte)'.' or >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z'))
                    {
                        reason = "FQDN gateway identity with a character no host name has";
                        return false;
                    }
                }
                var name = Encoding.ASCII.GetString(identity);
                if (PostureGate.Net.HostName.Problem(name) is { } problem)
                {
                    reason = $"FQDN gateway identity: {problem}";
                    return false;
                }
                reason = null;
                gateway = new RedirectGateway(GatewayIdentityType.Fqdn, null, name);
                return true;
            default:
                reason = $"GW Ident Type {type} is not IPv4, IPv6 or FQDN";
                return false;
        }
    }

    public override string ToString() => Address?.ToString() ?? Fqdn!;
}
