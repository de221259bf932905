// The EMS certificate's SHA-256 fingerprint, as the gateway's `certificate-fingerprint` holds
// it: upper-case hex byte pairs joined by ':' (the form FortiOS and `openssl x509 -fingerprint`
// print). Matching accepts any case, with or without separators.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Tls;

public static class CertificateFingerprint
{
    public static string Of(X509Certificate2 certificate) => Format(SHA256.HashData(certificate.RawData));

    public static string Format(ReadOnlySpan<byte> digest) => string.Join(':', Convert.ToHexString(digest).Chunk(2).Select(c => new string(c)));

    /// <summary>True when <paramref name="certificate"/>'s SHA-256 digest equals <paramref name="expected"/>.</summary>
    public static bool Matches(string expected, X509Certificate? certificate)
    {
        if (certificate is null)
            return false;
        Span<byte> want = stackalloc byte[SHA256.HashSizeInBytes];
        if (!TryParse(expected, want))
            return false;
        Span<byte> have = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.GetRawCertData(), have);
        return CryptographicOperations.FixedTimeEquals(want, have);
    }

    public static bool TryParse(string text, Span<byte> digest)
    {
        var hex = text.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (hex.Length != digest.Length * 2 || !hex.AsSpan().ContainsOnlyHex())
            return false;
        return Convert.FromHexString(hex, digest, out _, out var written) == System.Buffers.OperationStatus.Done && written == digest.Length;
    }
}
