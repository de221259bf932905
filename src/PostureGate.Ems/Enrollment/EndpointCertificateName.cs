// How an endpoint certificate names its endpoint (PostureGate's profile, docs/protocol.md
// "Endpoint certificates"): subject CN = the UID, and a URI subjectAltName (RFC 5280 §4.2.1.6)
// urn:posturegate:uid:<UID>. Both carry the same upper-case UID.
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Enrollment;

public static class EndpointCertificateName
{
    public const string UriPrefix = "urn:posturegate:uid:";

    public static X500DistinguishedName SubjectOf(string uid)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(uid);
        return builder.Build();
    }

    public static Uri UriOf(string uid) => new(UriPrefix + uid);

    /// <summary>The UID in the subject CN of <paramref name="subject"/>, normalised; false when it holds no UID.</summary>
    public static bool TryReadUid(X500DistinguishedName subject, out string uid)
    {
        uid = "";
        string? cn = null;
        foreach (var rdn in subject.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != "2.5.4.3")
                return false; // anything but exactly one CN is not a name this EMS issues or signs
            if (cn is not null)
                return false;
            cn = rdn.GetSingleElementValue();
        }
        return EndpointUid.TryNormalize(cn, out uid) && cn == uid;
    }
}
