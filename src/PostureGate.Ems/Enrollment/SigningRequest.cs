// An endpoint's PKCS#10 certificate signing request (RFC 2986) in PEM, as the client API
// receives it: loaded and its self-signature verified by the BCL (proof that the sender holds
// the private key), then held to PostureGate's profile — subject CN = the UID being enrolled,
// an ECDSA P-256 or P-384 key. Everything else in the request (attributes, extensions) is
// ignored: the EMS decides what the certificate says.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PostureGate.Ems.Enrollment;

public sealed record SigningRequest(string Uid, PublicKey PublicKey, string SpkiSha256)
{
    public const int MaxPemChars = 8 * 1024;
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";

    /// <summary>Parses <paramref name="pem"/> for <paramref name="expectedUid"/>; false with a reason on any problem.</summary>
    public static bool TryParse(string? pem, string expectedUid, out SigningRequest? request, out string error)
    {
        request = null;
        if (string.IsNullOrWhiteSpace(pem) || pem.Length > MaxPemChars)
        {
            error = $"csr must be a PEM certificate signing request of at most {MaxPemChars} characters";
            return false;
        }
        CertificateRequest loaded;
        try
        {
            loaded = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException)
        {
            error = "csr is not a well-formed, correctly self-signed PKCS#10 request";
            return false;
        }
        if (!EndpointCertificateName.TryReadUid(loaded.SubjectName, out var uid))
        {
            error = "csr subject must be exactly CN=<UID> (32 upper-case hexadecimal digits)";
            return false;
        }
        if (uid != expectedUid)
        {
            error = $"csr names uid {uid}, not {expectedUid}";
            return false;
        }
        using var ec = loaded.PublicKey.GetECDsaPublicKey();
        var curve = ec is null ? null : CurveOid(ec.ExportParameters(false).Curve);
        if (curve is not (P256 or P384))
        {
            error = "csr key must be ECDSA P-256 or P-384";
            return false;
        }
        var spki = Convert.ToHexString(SHA256.HashData(loaded.PublicKey.ExportSubjectPublicKeyInfo()));
        request = new SigningRequest(uid, loaded.PublicKey, spki);
        error = "";
        return true;
    }

    // Some platforms name the curve only by friendly name.
    private static string? CurveOid(ECCurve curve)
    {
        if (!curve.IsNamed)
            return null;
        if (curve.Oid.Value is { } value)
            return value;
        try
        {
            return curve.Oid.FriendlyName is { } name ? Oid.FromFriendlyName(name, OidGroup.All).Value : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
