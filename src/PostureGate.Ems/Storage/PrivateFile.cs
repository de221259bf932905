// Writes the EMS's secret files (signing keys, TLS key pair) owner-only, fsynced, replaced atomically — PostureGate's own.
using System.Security.Cryptography;

namespace PostureGate.Ems.Storage;

/// <summary>Secret files (keys, the TLS key pair): owner-only, fsynced, replaced atomically.</summary>
internal static class PrivateFile
{
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The key as PKCS#8 PEM, owner-only; the text is zeroed after writing.</summary>
    public static void WritePrivateKeyPem(string path, AsymmetricAlgorithm key)
    {
        var pem = key.ExportPkcs8PrivateKeyPem().ToCharArray();
        var bytes = System.Text.Encoding.ASCII.GetBytes(pem);
        try
        {
            WriteAtomically(path, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pem.AsSpan()));
        }
    }
}
