// The endpoint UID a device certificate from the EMS endpoint CA proves (docs/protocol.md "Endpoint
// certificates", issued by src/PostureGate.Ems/Enrollment): subject = exactly one CN holding the UID,
// and a URI subjectAltName urn:posturegate:uid:<UID> (RFC 5280 §4.2.1.6). Both must be present and
// name the same 32-hex-digit UID, or the certificate names no UID at all.
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Ike.Auth;

public static class DeviceCertificateUid
{
    /// <summary>The URI SAN prefix; the EMS writes the same one (EndpointCertificateName.UriPrefix).</summary>
    public const string UriPrefix = "urn:posturegate:uid:";

    private const int UidLength = 32;

    /// <summary>The upper-case UID <paramref name="certificate"/> names, or false with why not.</summary>
    public static bool TryRead(X509Certificate2 certificate, out string uid, out string reason)
    {
        uid = "";
        var fromUri = CertificateNames.Uris(certificate)
            .Where(u => u.StartsWith(UriPrefix, StringComparison.OrdinalIgnoreCase))
            .Select(u => u[UriPrefix.Length..])
            .ToList();
        if (fromUri.Count != 1)
        {
            reason = fromUri.Count == 0 ? "no " + UriPrefix + " subjectAltName" : "more than one " + UriPrefix + " subjectAltName";
            return false;
        }
        string? cn = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != "2.5.4.3" || cn is not null)
            {
                reason = "subject is not a single CN";
                return false;
            }
            cn = rdn.GetSingleElementValue();
        }
        if (!IsUid(fromUri[0]) || cn is null || !string.Equals(cn, fromUri[0], StringComparison.OrdinalIgnoreCase))
        {
            reason = "subject CN and URI subjectAltName do not name the same UID";
            return false;
        }
        uid = cn.ToUpperInvariant();
        reason = "";
        return true;
    }

    private static bool IsUid(string text) => text.Length == UidLength && text.All(char.IsAsciiHexDigit);
}
