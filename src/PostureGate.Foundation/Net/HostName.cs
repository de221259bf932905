// Host names as RFC 1035 §2.3.1 writes them, with RFC 1123 §2.1's leading digits: dot-separated
// labels of 1-63 letters, digits and hyphens, no hyphen at either end, 253 characters at most, and
// not all-numeric at the end (a resolver would read that as an address). Used for the FQDN a
// gateway is redirected to (RFC 5685 §9.2), whether it comes from the configuration or the wire.
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Net;

public static class HostName
{
    /// <summary>RFC 1035 §2.3.4: 255 octets on the wire are at most 253 characters written out.</summary>
    public const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Null when <paramref name="name"/> is a host name; else why not, in a few words.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
            return "an empty name";
        if (name.Length > MaxLength)
            return $"a name longer than {MaxLength} characters";
        var lastAllDigits = false;
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
                return $"an empty label or one longer than {MaxLabelLength} characters";
            if (label[0] == '-' || label[^1] == '-')
                return "a label that starts or ends with '-'";
            foreach (var c in label)
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                    return "a character no host name has";
            lastAllDigits = label.All(char.IsAsciiDigit);
        }
        return lastAllDigits ? "all digits at the end, which reads as an address" : null;
    }

    /// <summary>
    /// Reads an IPv4 or IPv6 address (without a zone) into <paramref name="address"/>, else checks a host name;
    /// null when <paramref name="text"/> is either, else a message naming it (printable, shortened).
    /// </summary>
    public static string? AddressOrNameProblem(string text, out IPAddress? address)
    {
        if (IPAddress.TryParse(text, out address) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            && !text.Contains('%'))
            return null;
        address = null;
        return Problem(text) is { } problem ? $"'{Shown(text)}' is neither an IP address nor a host name ({problem})" : null;
    }

    /// <summary>A value from outside in a message: control characters as '?', at most 64 characters.</summary>
    public static string Shown(string text)
    {
        var printable = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? printable + "…" : printable;
    }
}
