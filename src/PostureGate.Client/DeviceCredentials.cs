// The endpoint's own identity toward the EMS (issue 10 "Enrollment"): an ECDSA P-256 key made
// here and never sent anywhere (PKCS#8 PEM, created owner-only — the mode is given at creation,
// so the key is never readable by others even for a moment), the certificate the EMS issued for
// it, and the EMS's endpoint CA. Files: <dir>/<UID>.key, <UID>.crt, <UID>.ca.crt.
// The CSR is built by the BCL (CertificateRequest, RFC 2986): subject CN=<UID>.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace PostureGate.Client;

public sealed class DeviceCredentials : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly ECDsa _key;

    private DeviceCredentials(string directory, string uid, ECDsa key)
    {
        Uid = uid;
        _key = key;
        KeyPath = Path.Combine(directory, uid + ".key");
        CertificatePath = Path.Combine(directory, uid + ".crt");
        CaPath = Path.Combine(directory, uid + ".ca.crt");
    }

    /// <summary>~/.posturegate/client: where `pgate client connect` keeps device keys unless told otherwise.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".posturegate", "client");

    public string Uid { get; }
    public string KeyPath { get; }
    public string CertificatePath { get; }
    public string CaPath { get; }

    /// <summary>The EMS-issued certificate with the private key, or null before enrollment.</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>Loads the key of <paramref name="uid"/> in <paramref name="directory"/> (making it when
    /// missing) and the certificate when there is one.</summary>
    public static DeviceCredentials Open(string directory, string uid)
    {
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var keyPath = Path.Combine(directory, uid + ".key");
        var key = File.Exists(keyPath) ? LoadKey(keyPath) : CreateKey(keyPath);
        var credentials = new DeviceCredentials(directory, uid, key);
        try
        {
            if (File.Exists(credentials.CertificatePath))
                credentials.Certificate = credentials.Bind(File.ReadAllText(credentials.CertificatePath));
            return credentials;
        }
        catch
        {
            credentials.Dispose();
            throw;
        }
    }

    /// <summary>SHA-256 of the public key (SubjectPublicKeyInfo), hex: what `pgate ems endpoint pending`
    /// shows, for the admin to compare before approving.</summary>
    public string PublicKeySha256 => Convert.ToHexString(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));

    /// <summary>A PKCS#10 request for this device's key, subject CN=&lt;UID&gt;.</summary>
    public string CreateSigningRequestPem()
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(Uid);
        return new CertificateRequest(subject.Build(), _key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    /// <summary>Keeps the certificate the EMS issued (after checking it is for this key and UID) and its CA.</summary>
    public void Store(string certificatePem, string caPem)
    {
        var certificate = Bind(certificatePem);
        using (X509Certificate2.CreateFromPem(caPem))
        {
        }
        WriteOwnerOnly(CaPath, Encoding.ASCII.GetBytes(caPem));
        WriteOwnerOnly(CertificatePath, Encoding.ASCII.GetBytes(certificatePem));
        Certificate?.Dispose();
        Certificate = certificate;
    }

    /// <summary>Usable now: within its validity.</summary>
    public bool IsValid(DateTimeOffset now) =>
        Certificate is { } c && now >= c.NotBefore.ToUniversalTime() && now < c.NotAfter.ToUniversalTime();

    /// <summary>Two thirds of the lifetime are gone: time to renew (while the certificate still authenticates the renewal).</summary>
    public bool NeedsRenewal(DateTimeOffset now)
    {
        if (Certificate is not { } c)
            return false;
        var from = new DateTimeOffset(c.NotBefore.ToUniversalTime());
        var to = new DateTimeOffset(c.NotAfter.ToUniversalTime());
        return now >= from + (to - from) * 2 / 3;
    }

    public void Dispose()
    {
        Certificate?.Dispose();
        _key.Dispose();
    }

    private X509Certificate2 Bind(string certificatePem)
    {
        using var issued = X509Certificate2.CreateFromPem(certificatePem);
        if (issued.GetNameInfo(X509NameType.SimpleName, false) != Uid)
            throw new EmsEnrollmentException($"the EMS issued a certificate for {issued.Subject}, not CN={Uid}");
        try
        {
            return issued.CopyWithPrivateKey(_key);
        }
        catch (ArgumentException)
        {
            throw new EmsEnrollmentException($"the certificate in {CertificatePath} is not for the key in {KeyPath}");
        }
    }

    private static ECDsa CreateKey(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem().ToCharArray();
        var bytes = Encoding.ASCII.GetBytes(pem);
        try
        {
            // CreateNew with the mode: never a moment where another user could open it.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = OwnerOnly;
            using var stream = new FileStream(path, options);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(pem);
        }
    }

    private static ECDsa LoadKey(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
            throw new EmsEnrollmentException($"the device key {path} is readable by others; chmod 600 it (or remove it to enroll again)");
        var bytes = File.ReadAllBytes(path);
        var pem = Encoding.ASCII.GetChars(bytes);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (ArgumentException)
        {
            key.Dispose();
            throw new EmsEnrollmentException($"the device key {path} is not a PEM private key");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(pem);
        }
    }

    // Written beside and renamed over, the temporary made owner-only at creation.
    private static void WriteOwnerOnly(string path, byte[] content)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
