// Strict IP text for the EMS store: IPv4 as four decimal octets only (RFC 6943 §3.1.1), IPv6 without a zone, canonical form.
using System.Net;

namespace PostureGate.Ems.Model;

/// <summary>Strict IP text: IPv4 only as four decimal octets (IPAddress.TryParse alone takes
/// "10.1" or octal forms, which would store an address the client never meant); IPv6 without a
/// zone. Gives the canonical text stored and compared.</summary>
public static class IpText
{
    public static bool TryNormalize(string? text, out string ip)
    {
        ip = "";
        if (string.IsNullOrEmpty(text) || text.Contains('%') || !IPAddress.TryParse(text, out var address))
            return false;
        var canonical = address.ToString();
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && canonical != text)
            return false;
        ip = canonical;
        return true;
    }
}
