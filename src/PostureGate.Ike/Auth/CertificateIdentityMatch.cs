// RFC 7296 §2.15/§3.5 and RFC 4945 §3.1: the identity a peer states in IDi/IDr must be one its
// certificate vouches for, or a stolen-but-valid certificate for one name would authenticate any
// other. Matching, by ID type:
//   ID_IPV4_ADDR / ID_IPV6_ADDR  <->  subjectAltName iPAddress        (RFC 4945 §3.1.1)
//   ID_FQDN                      <->  subjectAltName dNSName          (§3.1.2, case-insensitive, no wildcards)
//   ID_RFC822_ADDR               <->  subjectAltName rfc822Name       (§3.1.3, domain case-insensitive)
//   ID_DER_ASN1_DN               <->  the subject DN, octet for octet (§3.1.5)
// Other types (KEY_ID, DER_ASN1_GN) are not bound to a certificate and never match.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Auth;

public static class CertificateIdentityMatch
{
    /// <summary>True when <paramref name="certificate"/> vouches for the identity of type <paramref name="type"/> and <paramref name="data"/>.</summary>
    public static bool Matches(IdType type, ReadOnlySpan<byte> data, X509Certificate2 certificate)
    {
        switch (type)
        {
            case IdType.Ipv4Address when data.Length == 4:
            case IdType.Ipv6Address when data.Length == 16:
                var address = new IPAddress(data);
                return CertificateNames.IpAddresses(certificate).Any(a => a.Equals(address));
            case IdType.Fqdn when IsPrintableAscii(data):
                var fqdn = Encoding.ASCII.GetString(data);
                return CertificateNames.DnsNames(certificate).Any(n => string.Equals(n, fqdn, StringComparison.OrdinalIgnoreCase));
            case IdType.Rfc822Address when IsPrintableAscii(data):
                var email = Encoding.ASCII.GetString(data);
                return CertificateNames.EmailAddresses(certificate).Any(n => SameMailbox(n, email));
            case IdType.DerAsn1Dn when data.Length > 0:
                return data.SequenceEqual(certificate.SubjectName.RawData);
            default:
                return false;
        }
    }

    /// <summary>RFC 5280 §4.2.1.6: the local-part is compared exactly, the domain case-insensitively.</summary>
    private static bool SameMailbox(string a, string b)
    {
        var at = a.LastIndexOf('@');
        var bt = b.LastIndexOf('@');
        return at > 0 && at == bt
            && string.Equals(a[..at], b[..bt], StringComparison.Ordinal)
            && string.Equals(a[at..], b[bt..], StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsPrintableAscii(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return false;
        foreach (var b in data)
        {
            if (b is <= 0x20 or >= 0x7F)
                return false;
        }
        return true;
    }
}
