// Where the machine's configuration key lives: `config.key` in the data directory,
// 32 random bytes, owner-only (created 0600 in a 0700 directory: never readable by
// others, not even for an instant). The command line passes the location in; the
// loader opens it only when a file holds an ENC secret, and only `config show`
// creates it.
namespace PostureGate.Config.Secrets;

public sealed class ConfigKeyFile(string path)
{
    public const string FileName = "config.key";

    /// <summary>The data directory the commands use when none is given (as `pgate up`).</summary>
    public const string DefaultDataDirectory = ".posturegate";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public static ConfigKeyFile InDataDirectory(string directory) => new(System.IO.Path.Combine(directory, FileName));

    /// <summary>Reads the key; false (with the reason) when it is missing, unreadable, open to others or malformed.</summary>
    public bool TryLoad(out ConfigKey? key, out string error)
    {
        key = null;
        byte[] bytes;
        try
        {
            if (!File.Exists(Path))
            {
                error = $"this machine has no configuration key ({Path}): the file was written on another machine or with another --data directory";
                return false;
            }
            if ((File.GetUnixFileMode(Path) & GroupOrOther) != 0)
            {
                error = $"the configuration key {Path} is open to other users; 'chmod 600' it (and replace it if others may have read it)";
                return false;
            }
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the configuration key {Path}: {ex.Message}";
            return false;
        }
        try
        {
            if (bytes.Length != ConfigKey.KeyLength)
            {
                error = $"the configuration key {Path} is not {ConfigKey.KeyLength} bytes long";
                return false;
            }
            key = new ConfigKey(bytes);
            error = "";
            return true;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Reads the key, creating it (and its directory, owner-only) when there is none.</summary>
    public ConfigKey LoadOrCreate()
    {
        if (!File.Exists(Path))
            TryCreate();
        return TryLoad(out var key, out var error) ? key! : throw new IOException(error);
    }

    private void TryCreate()
    {
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } dir && !Directory.Exists(dir))
            Directory.CreateDirectory(dir, OwnerOnly | UnixFileMode.UserExecute);
        Span<byte> key = stackalloc byte[ConfigKey.KeyLength];
        System.Security.Cryptography.RandomNumberGenerator.Fill(key);
        try
        {
            using var stream = new FileStream(Path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            stream.Write(key);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(Path))
        {
            // Another process created it first: use theirs.
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }
}
