// The node key file of a PostgreSQL EMS (SealedKeyVault): one line of 64 hexadecimal digits
// (256 bits), owner-only. Made by the first node; copied by the admin to every other node.
using System.Security.Cryptography;

namespace PostureGate.Ems.Storage;

internal static class NodeKeyFile
{
    public const string DefaultFileName = "cluster.key";
    private const int KeySize = 32;

    public static byte[] Read(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            throw new InvalidOperationException($"{path}: the node key file is readable or writable by others; chmod 600 it");
        var text = File.ReadAllText(path).ToCharArray();
        try
        {
            var line = text.AsSpan().Trim();
            var key = new byte[KeySize];
            if (line.Length != KeySize * 2
                || Convert.FromHexString(line, key, out _, out var written) != System.Buffers.OperationStatus.Done
                || written != KeySize)
            {
                CryptographicOperations.ZeroMemory(key);
                throw new InvalidOperationException($"{path}:1:1: a node key file holds 64 hexadecimal digits (256 bits) on one line");
            }
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()));
        }
    }

    public static byte[] Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeySize);
        var hex = System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(key) + "\n");
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
                EmsStore.CreatePrivateDirectory(directory);
            PrivateFile.WriteAtomically(path, hex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hex);
        }
        return key;
    }
}
