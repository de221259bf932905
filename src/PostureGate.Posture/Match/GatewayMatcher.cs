// Pre-authentication check of the peer's (public) address against remote-gw-match, done when
// IKE_AUTH arrives (FortiOS debug: "re-validate gw ID" → "gw validation OK"). ztna and any pass
// here; ztna is decided after authentication by PostureGateKeeper.
using System.Net;
using System.Net.Sockets;
using PostureGate.Admission;

namespace PostureGate.Posture;

public sealed class GatewayMatcher(CountryDatabase? countries = null)
{
    public CountryDatabase? Countries { get; } = countries;

    /// <summary>False refuses the peer; <paramref name="reason"/> says why (for the debug log).</summary>
    public bool Validate(RemoteGwMatch match, IPAddress peer, out string? reason)
    {
        peer = Ipv4Address.Normalize(peer);
        reason = null;
        switch (match.Mode)
        {
            case RemoteGwMatchMode.Any or RemoteGwMatchMode.Ztna:
                return true;
            case RemoteGwMatchMode.IpMask:
                if (match.Subnet is null)
                    return Fail("remote-gw-subnet is not set", out reason);
                var network = new IPNetwork(Ipv4Address.Normalize(match.Subnet), match.SubnetPrefixLength);
                return network.Contains(peer) || Fail($"{peer} is outside remote-gw-subnet {network}", out reason);
            case RemoteGwMatchMode.IpRange:
                if (match.RangeStart is null || match.RangeEnd is null)
                    return Fail("remote-gw-start-ip/end-ip are not set", out reason);
                return InRange(peer, Ipv4Address.Normalize(match.RangeStart), Ipv4Address.Normalize(match.RangeEnd))
                    || Fail($"{peer} is outside remote-gw range {match.RangeStart}-{match.RangeEnd}", out reason);
            case RemoteGwMatchMode.Geography:
                if (Countries is null || match.Country is null)
                    return Fail("no country database or remote-gw-country", out reason);
                var country = Countries.Lookup(peer);
                return string.Equals(country, match.Country, StringComparison.OrdinalIgnoreCase)
                    || Fail($"{peer} is in {country ?? "an unknown country"}, not {match.Country}", out reason);
            default:
                return Fail("unknown remote-gw-match", out reason);
        }
    }

    private static bool InRange(IPAddress peer, IPAddress start, IPAddress end)
    {
        if (peer.AddressFamily != start.AddressFamily || peer.AddressFamily != end.AddressFamily)
            return false;
        var p = Ipv4Address.ToUInt128(peer, out _);
        return p >= Ipv4Address.ToUInt128(start, out _) && p <= Ipv4Address.ToUInt128(end, out _);
    }

    private static bool Fail(string why, out string? reason)
    {
        reason = why;
        return false;
    }
}
