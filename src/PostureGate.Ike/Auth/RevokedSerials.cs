// The serial numbers one CA has revoked (RFC 5280 §5.3: a serial is unique per issuer, so the set
// belongs to the CA named by its public key). Replaced or extended whole, read lock-free by handshakes.
using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Ike.Auth;

public sealed class RevokedSerials : IRevocationCheck
{
    private readonly byte[] _issuerKeyHash;
    private volatile FrozenSet<string> _serials = FrozenSet<string>.Empty;

    public RevokedSerials(X509Certificate2 issuer, IEnumerable<string>? serials = null)
    {
        _issuerKeyHash = CertificateAuthorityKeyHash.Of(issuer);
        if (serials is not null)
            Replace(serials);
    }

    public int Count => _serials.Count;

    /// <summary>Adds one serial (hex, any case, as X509Certificate2.SerialNumber prints it).</summary>
    public void Revoke(string serialHex)
    {
        lock (_issuerKeyHash)
            _serials = _serials.Append(Normalize(serialHex)).ToFrozenSet();
    }

    public void Replace(IEnumerable<string> serialsHex)
    {
        var set = serialsHex.Select(Normalize).ToFrozenSet();
        lock (_issuerKeyHash)
            _serials = set;
    }

    public bool IsRevoked(X509Certificate2 certificate, X509Certificate2 issuer) =>
        CertificateAuthorityKeyHash.Of(issuer).AsSpan().SequenceEqual(_issuerKeyHash)
        && _serials.Contains(Normalize(certificate.SerialNumber));

    /// <summary>Upper-case hex without leading zero octets, so "00AB" and "ab" are one serial.</summary>
    private static string Normalize(string hex)
    {
        var s = hex.Trim().Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        while (s.Length > 2 && s.StartsWith("00", StringComparison.Ordinal))
            s = s[2..];
        return s;
    }
}
