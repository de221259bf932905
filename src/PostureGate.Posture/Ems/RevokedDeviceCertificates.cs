// The device certificates one EMS's endpoint CA has revoked, as the connector learns them (issue 10
// "Mutual TLS"): whole from each snapshot (`revoked_certificates`, `endpoint_ca_key`), one revocation
// at a time from the push stream (`certificate.revoked`). A serial is unique per issuer only
// (RFC 5280 §5.3), so the set belongs to the CA named by its key id; the IKE layer asks it for each
// certificate a peer authenticates with, and the gateway deletes the tunnels of those revoked.
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace PostureGate.Posture;

/// <summary>A revoked device certificate: its serial (upper-case hex, no leading zero octets) and the UID it was issued to.</summary>
public sealed record RevokedCertificate(string Serial, string Uid);

public sealed class RevokedDeviceCertificates
{
    /// <summary>More than any EMS revokes within its certificates' lifetime: a push beyond it is ignored (the snapshot is bounded by its size).</summary>
    public const int MaxEntries = 1_000_000;

    private readonly Lock _lock = new();
    private volatile State _state = new(null, FrozenDictionary<string, string>.Empty);

    private sealed record State(byte[]? IssuerKey, FrozenDictionary<string, string> Serials);

    /// <summary>The endpoint CA's key id (SHA-256 of its DER SubjectPublicKeyInfo), null until a snapshot named it.</summary>
    public ReadOnlyMemory<byte>? IssuerKey => _state.IssuerKey;

    public int Count => _state.Serials.Count;

    /// <summary>
    /// A snapshot's view: the issuer's key id (lower- or upper-case hex of 32 octets) and every revoked certificate
    /// still within its validity. Returns those not known before (their tunnels must go).
    /// </summary>
    public IReadOnlyList<RevokedCertificate> Replace(string? issuerKeyHex, IEnumerable<RevokedCertificate> revoked)
    {
        var key = ParseKey(issuerKeyHex);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in revoked)
            map[Normalize(r.Serial)] = r.Uid;
        lock (_lock)
        {
            var before = _state;
            var sameIssuer = before.IssuerKey is { } old && key is not null && old.AsSpan().SequenceEqual(key);
            var added = map.Where(e => !sameIssuer || !before.Serials.ContainsKey(e.Key)).Select(e => new RevokedCertificate(e.Key, e.Value)).ToList();
            _state = new State(key, map.ToFrozenDictionary(StringComparer.Ordinal));
            return added;
        }
    }

    /// <summary>A pushed revocation: <paramref name="serials"/> of <paramref name="uid"/>. Returns those not known before.</summary>
    public IReadOnlyList<RevokedCertificate> Add(string uid, IEnumerable<string> serials)
    {
        lock (_lock)
        {
            var before = _state;
            var added = serials.Select(Normalize).Distinct(StringComparer.Ordinal).Where(s => !before.Serials.ContainsKey(s))
                .Select(s => new RevokedCertificate(s, uid)).ToList();
            if (added.Count == 0 || before.Serials.Count + added.Count > MaxEntries)
                return [];
            var map = new Dictionary<string, string>(before.Serials, StringComparer.Ordinal);
            foreach (var r in added)
                map[r.Serial] = r.Uid;
            _state = new State(before.IssuerKey, map.ToFrozenDictionary(StringComparer.Ordinal));
            return added;
        }
    }

    /// <summary>
    /// True when the certificate with <paramref name="serialHex"/>, issued by the CA whose DER SubjectPublicKeyInfo is
    /// <paramref name="issuerSpki"/>, is revoked here. Before a snapshot named the issuer nothing is (no CA to match).
    /// </summary>
    public bool IsRevoked(ReadOnlySpan<byte> issuerSpki, string serialHex)
    {
        var state = _state;
        if (state.IssuerKey is not { } key || state.Serials.Count == 0)
            return false;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(issuerSpki, hash);
        return hash.SequenceEqual(key) && state.Serials.ContainsKey(Normalize(serialHex));
    }

    /// <summary>The UID a revoked serial was issued to, for the audit line.</summary>
    public string? UidOf(string serialHex) => _state.Serials.GetValueOrDefault(Normalize(serialHex));

    private static byte[]? ParseKey(string? hex)
    {
        if (hex is not { Length: SHA256.HashSizeInBytes * 2 } || !hex.AsSpan().ContainsOnlyHex())
            return null;
        return Convert.FromHexString(hex);
    }

    /// <summary>Upper-case hex without leading zero octets or colons, so "00AB", "00:ab" and "AB" are one serial.</summary>
    public static string Normalize(string hex)
    {
        var s = hex.Trim().Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        while (s.Length > 2 && s.StartsWith("00", StringComparison.Ordinal))
            s = s[2..];
        return s;
    }
}
