// Opening a PEM private key (PKCS#8, encrypted PKCS#8 of RFC 5958, SEC1, PKCS#1) for a certificate, with the BCL.
using System.Buffers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostureGate.Config.Model;

/// <summary>Opens a certificate's PEM private key with the BCL, keeping the key text in buffers it zeroes.</summary>
internal static class CertificateKeyLoader
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";      // id-ecPublicKey, RFC 5480 §2.1.1
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1"; // rsaEncryption, RFC 8017 Appendix C

    public static X509Certificate2 Open(string certificatePem, Secret privateKey, Secret? password) =>
        TryOpen(certificatePem, privateKey, password, out var result, out var error) ? result! : throw new CryptographicException(error);

    /// <summary>The certificate with its key, or why not (one line, never the key's text).</summary>
    public static bool TryOpen(string certificatePem, Secret privateKey, Secret? password, out X509Certificate2? result, out string? error)
    {
        result = null;
        using var cert = X509Certificate2.CreateFromPem(certificatePem);
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxCharCount(privateKey.Length)));
        var pwd = password is null ? null : ArrayPool<char>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxCharCount(password.Length)));
        try
        {
            var keyPem = chars.AsSpan(0, Encoding.UTF8.GetChars(privateKey.Utf8, chars));
            if (!PemEncoding.TryFind(keyPem, out var fields))
                return Fail(out error, "'private-key' is not a PEM key (-----BEGIN PRIVATE KEY----- …)");
            var label = keyPem[fields.Label];
            var encrypted = label.SequenceEqual("ENCRYPTED PRIVATE KEY");
            if (encrypted && password is null)
                return Fail(out error, "'private-key' is encrypted: set 'password'");
            ReadOnlySpan<char> pass = pwd is null ? default : pwd.AsSpan(0, Encoding.UTF8.GetChars(password!.Utf8, pwd));
            AsymmetricAlgorithm key;
            switch (cert.GetKeyAlgorithm())
            {
                case EcPublicKeyOid:
                    key = ECDsa.Create();
                    break;
                case RsaEncryptionOid:
                    key = RSA.Create();
                    break;
                default:
                    return Fail(out error, $"the certificate's key algorithm {cert.GetKeyAlgorithm()} is not implemented (RSA and ECDSA are)");
            }
            using (key)
            {
                try
                {
                    if (encrypted)
                        key.ImportFromEncryptedPem(keyPem, pass);
                    else
                        key.ImportFromPem(keyPem);
                }
                catch (Exception ex) when (ex is CryptographicException or ArgumentException)
                {
                    return Fail(out error, encrypted
                        ? "'private-key' does not open with 'password', or is not a key of the certificate's type"
                        : "'private-key' does not parse as a key of the certificate's type");
                }
                try
                {
                    result = key is ECDsa ec ? cert.CopyWithPrivateKey(ec) : cert.CopyWithPrivateKey((RSA)key);
                }
                catch (Exception ex) when (ex is CryptographicException or ArgumentException)
                {
                    return Fail(out error, "'private-key' does not belong to 'certificate' (their public keys differ)");
                }
            }
            error = null;
            return true;
        }
        finally
        {
            chars.AsSpan().Clear();
            ArrayPool<char>.Shared.Return(chars);
            if (pwd is not null)
            {
                pwd.AsSpan().Clear();
                ArrayPool<char>.Shared.Return(pwd);
            }
        }
    }

    private static bool Fail(out string? error, string message)
    {
        error = message;
        return false;
    }
}
