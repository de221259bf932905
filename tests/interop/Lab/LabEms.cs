using System.Text.RegularExpressions;

namespace PostureGate.Interop.Tests.Lab;

/// <summary>
/// A <c>pgate ems</c> serving the lab's gateway: what it printed on its first start (URL,
/// serial, tenant, certificate fingerprint, the two API keys) and its data directory, which the
/// admin CLI (<c>pgate ems tag add … --data DIR</c>) works on while it runs.
/// </summary>
public sealed partial record LabEms(
    string Url,
    string Host,
    int Port,
    string SerialNumber,
    string TenantId,
    string CertificateFingerprint,
    string GatewayApiKey,
    string AdminApiKey,
    string DataDirectory)
{
    /// <summary>Reads the banner of `pgate ems` (src/PostureGate.Ems/EmsCommand.cs); false until
    /// every line of a first start is there.</summary>
    public static bool TryParseBanner(string output, string dataDirectory, out LabEms? ems)
    {
        ems = null;
        string? Field(string label) =>
            Regex.Match(output, $@"(?m)^{Regex.Escape(label)}:? (\S+)\s*$") is { Success: true } m ? m.Groups[1].Value : null;
        if (Field("EMS listening on") is not { } url || Field("serial number") is not { } serial || Field("tenant id") is not { } tenant
            || Field("certificate fingerprint (SHA-256)") is not { } fingerprint || Field("gateway API key") is not { } gatewayKey
            || Field("admin API key") is not { } adminKey || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }
        ems = new LabEms(url, uri.Host, uri.Port, serial, tenant, fingerprint, gatewayKey, adminKey, dataDirectory);
        return true;
    }
}
