// RFC 5280 §4.2.1.6 subjectAltName: the names a certificate vouches for. DNS names and addresses come
// from the BCL's X509SubjectAlternativeNameExtension; rfc822Name [1] and uniformResourceIdentifier [6],
// which it does not expose, are read from the same GeneralNames with System.Formats.Asn1.
using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Ike.Auth;

public static class CertificateNames
{
    private const string SubjectAltNameOid = "2.5.29.17";

    public static IEnumerable<string> DnsNames(X509Certificate2 certificate) =>
        SubjectAltName(certificate)?.EnumerateDnsNames() ?? [];

    public static IEnumerable<IPAddress> IpAddresses(X509Certificate2 certificate) =>
        SubjectAltName(certificate)?.EnumerateIPAddresses() ?? [];

    /// <summary>rfc822Name entries ([1] IA5String).</summary>
    public static IReadOnlyList<string> EmailAddresses(X509Certificate2 certificate) => IA5Names(certificate, 1);

    /// <summary>uniformResourceIdentifier entries ([6] IA5String), e.g. urn:posturegate:uid:&lt;UID&gt;.</summary>
    public static IReadOnlyList<string> Uris(X509Certificate2 certificate) => IA5Names(certificate, 6);

    private static X509SubjectAlternativeNameExtension? SubjectAltName(X509Certificate2 certificate)
    {
        try
        {
            return certificate.Extensions[SubjectAltNameOid] is { } ext ? new X509SubjectAlternativeNameExtension(ext.RawData, ext.Critical) : null;
        }
        catch (CryptographicException)
        {
            return null; // a malformed SAN names nothing
        }
    }

    private static IReadOnlyList<string> IA5Names(X509Certificate2 certificate, int tagNumber)
    {
        if (certificate.Extensions[SubjectAltNameOid] is not { } ext)
            return [];
        var names = new List<string>();
        var tag = new Asn1Tag(TagClass.ContextSpecific, tagNumber);
        try
        {
            var outer = new AsnReader(ext.RawData, AsnEncodingRules.DER);
            var seq = outer.ReadSequence();
            while (seq.HasData)
            {
                if (seq.PeekTag() == tag)
                    names.Add(seq.ReadCharacterString(UniversalTagNumber.IA5String, tag));
                else
                    seq.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
            return []; // a malformed SAN names nothing
        }
        return names;
    }
}
