// Files only the gateway's user may read (the console's key pair, its admin accounts, the first
// admin's password) and the configuration the wizard rewrites: written to a temporary file in the
// same directory, fsynced, then renamed over the old one (rename(2) is atomic), so a reader never
// sees half a file and a crash leaves the old one whole.
namespace PostureGate.Gateway.Admin;

internal static class OwnerOnlyFile
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>, created 0600 (or with <paramref name="mode"/>).</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content, UnixFileMode mode = OwnerReadWrite)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = mode;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
