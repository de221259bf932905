// What a client sends when it registers or reports (body of the client API). Fields mirror
// FORTICLIENT_CONNECT (UID, HOST, USER, OSVER, FCTVER, IP, MAC) plus posture facts as JSON.
using System.Net.NetworkInformation;
using System.Text.Json;

namespace PostureGate.Ems.Model;

public sealed record EndpointReportRequest(
    string? Uid,
    string? Host,
    string? User,
    string? Os,
    string? OsVersion,
    string? FctVersion,
    string? Ip,
    IReadOnlyList<string>? Macs,
    JsonElement? Facts);

/// <summary>A validated report: every field checked, MACs normalised, facts a bounded object.</summary>
public sealed record EndpointReport(
    string Uid,
    string? Host,
    string? User,
    string? Os,
    string? OsVersion,
    string? FctVersion,
    string? Ip,
    IReadOnlyList<string>? Macs,
    string? Facts)
{
    public const int MaxTextLength = 255;
    public const int MaxMacs = 32;
    public const int MaxFactsBytes = 64 * 1024;
    public const int MaxFactsDepth = 16;

    /// <summary>Validates <paramref name="request"/>; <paramref name="uidFromRoute"/> wins when given.</summary>
    public static bool TryCreate(EndpointReportRequest? request, string? uidFromRoute, out EndpointReport? report, out string error)
    {
        report = null;
        if (request is null)
        {
            error = "body is required";
            return false;
        }
        var uidText = uidFromRoute ?? request.Uid;
        if (!EndpointUid.TryNormalize(uidText, out var uid))
        {
            error = "uid must be 32 hexadecimal digits";
            return false;
        }
        if (uidFromRoute is not null && request.Uid is not null
            && !string.Equals(request.Uid, uidFromRoute, StringComparison.OrdinalIgnoreCase))
        {
            error = "uid in the body differs from the uid in the path";
            return false;
        }
        foreach (var (name, value) in new[] { ("host", request.Host), ("user", request.User), ("os", request.Os), ("os_version", request.OsVersion), ("fct_version", request.FctVersion) })
        {
            if (value is not null && (value.Length > MaxTextLength || value.Any(char.IsControl)))
            {
                error = $"{name} must be at most {MaxTextLength} printable characters";
                return false;
            }
        }
        string? ip = null;
        if (request.Ip is not null)
        {
            if (!IpText.TryNormalize(request.Ip, out ip))
            {
                error = "ip is not an IPv4 (dotted quad) or IPv6 address";
                return false;
            }
        }
        List<string>? macs = null;
        if (request.Macs is not null)
        {
            if (request.Macs.Count > MaxMacs)
            {
                error = $"at most {MaxMacs} macs";
                return false;
            }
            macs = new List<string>(request.Macs.Count);
            foreach (var text in request.Macs)
            {
                if (!TryNormalizeMac(text, out var mac))
                {
                    error = "macs must be 6-byte MAC addresses like 00-0c-29-2c-4d-d7";
                    return false;
                }
                if (!macs.Contains(mac))
                    macs.Add(mac);
            }
        }
        string? facts = null;
        if (request.Facts is { } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                error = "facts must be a JSON object";
                return false;
            }
            // The reader leaves property names and strings as raw octets; invalid UTF-8 in them
            // surfaces only here, as InvalidOperationException (found by fuzz target emsjson).
            try
            {
                facts = element.GetRawText();
            }
            catch (InvalidOperationException)
            {
                error = "facts must be valid UTF-8";
                return false;
            }
            if (facts.Length > MaxFactsBytes || Depth(element) > MaxFactsDepth)
            {
                error = $"facts must be at most {MaxFactsBytes} bytes and {MaxFactsDepth} levels deep";
                return false;
            }
        }
        report = new EndpointReport(uid, request.Host, request.User, request.Os, request.OsVersion, request.FctVersion, ip, macs, facts);
        error = "";
        return true;
    }

    /// <summary>Accepts 00-0c-29-2c-4d-d7, 00:0C:29:2C:4D:D7 or 000c292c4dd7; gives 00:0c:29:2c:4d:d7.</summary>
    public static bool TryNormalizeMac(string? text, out string mac)
    {
        mac = "";
        if (text is null || text.Length is not (12 or 17) || !PhysicalAddress.TryParse(text, out var address))
            return false;
        var bytes = address.GetAddressBytes();
        if (bytes.Length != 6)
            return false;
        mac = string.Join(':', bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return true;
    }

    private static int Depth(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => 1 + element.EnumerateObject().Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + element.EnumerateArray().Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
