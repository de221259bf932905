// config vpn certificate ca / local and config user peer → the model. PEM is read
// with the BCL (X509Certificate2.CreateFromPem, PemEncoding); nothing here parses
// ASN.1 by hand. Each problem is reported at the value it concerns.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;
using CA = PostureGate.Config.Schema.VpnCertificateCaSchema;
using L = PostureGate.Config.Schema.VpnCertificateLocalSchema;
using UP = PostureGate.Config.Schema.UserPeerSchema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private OrderedMap<CaCertificate> _cas = new();
    private OrderedMap<LocalCertificate> _locals = new();
    private OrderedMap<UserPeer> _peers = new();

    /// <summary>Fixed for one load, so every validity warning of a file agrees.</summary>
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private CaCertificate? BuildCa(BoundEntry e)
    {
        var ok = true;
        Require(e, CA.Ca, "", ref ok);
        if (!ok)
            return null;
        var pem = Str(e, CA.Ca)!;
        using (var cert = ReadCertificate(e, CA.Ca, pem, ref ok))
        {
            if (cert is null)
                return null;
            // RFC 5280 §4.2.1.9: a certificate that signs others asserts cA in basicConstraints.
            if (cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
                Fail(e.SpanOfValue(CA.Ca), $"'ca' of {Describe(e)} is not a CA certificate (no basicConstraints cA): a trust anchor must be one", ref ok);
        }
        return ok ? new CaCertificate
        {
            Span = e.Span,
            Name = e.Name!,
            Pem = pem,
            Range = Enum<CertificateRange>(e, CA.Range),
            Source = Enum<CertificateSource>(e, CA.Source),
        } : null;
    }

    private LocalCertificate? BuildLocal(BoundEntry e)
    {
        var ok = true;
        Require(e, L.Certificate, "", ref ok);
        Require(e, L.PrivateKey, " with 'certificate' (PostureGate signs with it)", ref ok);
        if (!ok)
            return null;
        var pem = Str(e, L.Certificate)!;
        using (var cert = ReadCertificate(e, L.Certificate, pem, ref ok))
        {
            if (cert is null)
                return null;
        }
        var key = SecretOf(e, L.PrivateKey)!;
        var password = SecretOf(e, L.Password);
        if (!CertificateKeyLoader.TryOpen(pem, key, password, out var opened, out var error))
            Fail(e.SpanOfValue(L.PrivateKey), error!, ref ok);
        opened?.Dispose();
        if (ok && password is not null && !IsEncryptedPem(key))
            Fail(e.SpanOf(L.Password), "'password' has no effect: 'private-key' is not encrypted; remove it", ref ok);
        return ok ? new LocalCertificate
        {
            Span = e.Span,
            Name = e.Name!,
            CertificatePem = pem,
            PrivateKey = key,
            Password = password,
            Range = Enum<CertificateRange>(e, L.Range),
            Source = Enum<CertificateSource>(e, L.Source),
        } : null;
    }

    private UserPeer? BuildPeer(BoundEntry e)
    {
        var ok = true;
        if (!Bool(e, UP.MandatoryCaVerify))
            NotImplemented(e, UP.MandatoryCaVerify, "a peer certificate is trusted only through its CA: set mandatory-ca-verify enable", ref ok);
        Require(e, UP.Ca, " (the CA a peer certificate must chain to)", ref ok);
        var ca = Str(e, UP.Ca) is { } caName ? Resolve(_cas, CA.Table, caName, e.SpanOfValue(UP.Ca), "CA certificate", ref ok) : null;
        var subject = Str(e, UP.Subject);
        if (subject is not null && !IsDistinguishedName(subject))
            Fail(e.SpanOfValue(UP.Subject), $"'subject' \"{subject}\" is not a distinguished name (such as \"CN=vpn.example.com, O=Example\")", ref ok);
        var cnType = Enum<PeerCnType>(e, UP.CnType);
        var cn = Str(e, UP.Cn);
        if (cn is not null && !CnMatchesType(cn, cnType))
            Fail(e.SpanOfValue(UP.Cn), $"'cn' \"{cn}\" is not {DescribeCnType(cnType)} as 'cn-type' says", ref ok);
        OnlyWith(e, UP.CnType, cn is not null, "'cn'", ref ok);
        return ok && ca is not null ? new UserPeer
        {
            Span = e.Span,
            Name = e.Name!,
            Ca = ca,
            Subject = subject,
            Cn = cn,
            CnType = cnType,
        } : null;
    }

    /// <summary>One PEM certificate, and a warning when it is outside its validity period.</summary>
    private X509Certificate2? ReadCertificate(BoundEntry e, AttributeSchema a, string pem, ref bool ok)
    {
        var at = e.SpanOfValue(a);
        var count = 0;
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("CERTIFICATE"))
                count++;
            rest = rest[fields.Location.End..];
        }
        if (count == 0)
        {
            Fail(at, $"'{a.Name}' of {Describe(e)} is not a PEM certificate (-----BEGIN CERTIFICATE----- …)", ref ok);
            return null;
        }
        if (count > 1)
        {
            Fail(at, $"'{a.Name}' of {Describe(e)} holds {count} certificates; put one in each entry", ref ok);
            return null;
        }
        X509Certificate2 cert;
        try
        {
            cert = X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            Fail(at, $"'{a.Name}' of {Describe(e)} is PEM but not a readable X.509 certificate", ref ok);
            return null;
        }
        if (cert.NotAfter.ToUniversalTime() < _now.UtcDateTime)
            _d.Warning(at, $"{Describe(e)}: the certificate \"{cert.Subject}\" expired on {cert.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; peers will refuse it");
        else if (cert.NotBefore.ToUniversalTime() > _now.UtcDateTime)
            _d.Warning(at, $"{Describe(e)}: the certificate \"{cert.Subject}\" is not valid before {cert.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; peers will refuse it until then");
        return cert;
    }

    private static bool IsEncryptedPem(Secret key)
    {
        // The label only: "-----BEGIN ENCRYPTED PRIVATE KEY-----" is not secret.
        ReadOnlySpan<byte> label = "-----BEGIN ENCRYPTED PRIVATE KEY-----"u8;
        return key.Utf8.IndexOf(label) >= 0;
    }

    private static bool IsDistinguishedName(string s)
    {
        try
        {
            return new X500DistinguishedName(s).RawData.Length > 2;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static bool CnMatchesType(string cn, PeerCnType type) => type switch
    {
        PeerCnType.Email => cn.IndexOf('@') is > 0 and var at && at < cn.Length - 1 && cn.IndexOf('@', at + 1) < 0 && !cn.Contains(' '),
        PeerCnType.Fqdn => Uri.CheckHostName(cn) == UriHostNameType.Dns,
        PeerCnType.Ipv4 => ValueParser.TryParseIpv4(cn, out _),
        PeerCnType.Ipv6 => Uri.CheckHostName(cn) == UriHostNameType.IPv6,
        _ => true,
    };

    private static string DescribeCnType(PeerCnType type) => type switch
    {
        PeerCnType.Email => "an e-mail address",
        PeerCnType.Fqdn => "a domain name",
        PeerCnType.Ipv4 => "an IPv4 address",
        PeerCnType.Ipv6 => "an IPv6 address",
        _ => "a string",
    };
}
