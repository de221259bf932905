// `pgate cert` output files: certificates world-readable, private keys owner-only (0600),
// never overwriting a file that exists (a CA key replaced by mistake would orphan every
// certificate it signed).
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostureGate.Cli.Commands.Cert;

internal static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The first path of <paramref name="paths"/> that exists, or null.</summary>
    public static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);

    /// <summary>Writes the key (PKCS#8 PEM, 0600) first, then the certificate (PEM, 0644).</summary>
    public static void Write(X509Certificate2 cert, string certificatePath, string keyPath)
    {
        var key = PrivateKeyPem(cert);
        var bytes = Encoding.ASCII.GetBytes(key);
        try
        {
            WriteNew(keyPath, bytes, OwnerOnly);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
        WriteNew(certificatePath, Encoding.ASCII.GetBytes(cert.ExportCertificatePem() + "\n"), Public);
    }

    /// <summary>The certificate's private key as PKCS#8 PEM.</summary>
    public static string PrivateKeyPem(X509Certificate2 cert)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)cert.GetECDsaPrivateKey() ?? cert.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("the certificate has no private key");
        return key.ExportPkcs8PrivateKeyPem() + "\n";
    }

    private static void WriteNew(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = mode;
        using var stream = new FileStream(path, options);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }
}
