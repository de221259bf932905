// The gateway's console admins in one owner-only JSON file, <data>/admins.json: names, PasswordHasher
// hashes (never a password), roles and security stamps. Rewritten whole and atomically on each change
// (Admin/OwnerOnlyFile.cs). A running gateway follows the file: each look-up checks whether it changed
// (`pgate gateway admin …` in another process) and reads it again, so a removed account or a new stamp
// ends its cookie sessions at their next request (ConsoleAuthentication). A file open to other users,
// or not ours to parse, is refused with one line rather than trusted: at start as an error, while
// running as one warning, keeping the accounts read before.
using System.Text.Json;
using System.Text.Json.Serialization;
using PostureGate.Web.Accounts;

namespace PostureGate.Gateway.Admin;

public sealed class AdminAccountFile : IAdminAccountStore
{
    public const string FileName = "admins.json";

    /// <summary>
    /// A file written this soon after the last read may have changed again within the file system's
    /// timestamp granularity without changing size (a new stamp is as long as the old): until a read
    /// lies further from its modification time, it is read again each time (Git's "racy clean" case).
    /// </summary>
    private static readonly TimeSpan Racy = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = true,
    };

    private readonly Lock _lock = new();
    private readonly Action<string>? _warn;
    private Dictionary<string, AdminAccount> _accounts;
    private FileVersion _version;
    private FileVersion? _refused;

    private AdminAccountFile(string path, Dictionary<string, AdminAccount> accounts, FileVersion version, Action<string>? warn)
    {
        Path = path;
        _accounts = accounts;
        _version = version;
        _warn = warn;
    }

    public string Path { get; }

    /// <summary>
    /// Opens (or starts empty) the file in <paramref name="dataDirectory"/>; throws IOException with one line when it cannot
    /// be trusted. <paramref name="warn"/> gets the one line when a later version of the file is refused.
    /// </summary>
    public static AdminAccountFile Open(string dataDirectory, Action<string>? warn = null)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, FileName));
        var version = FileVersion.Of(path);
        return new AdminAccountFile(path, Read(path, version), version, warn);
    }

    /// <summary>Reads the file again when it changed since the last read (SIGHUP calls this; so does every look-up).</summary>
    public void Refresh()
    {
        lock (_lock)
            RefreshLocked();
    }

    public AdminAccount? Find(string name)
    {
        lock (_lock)
        {
            RefreshLocked();
            return _accounts.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<AdminAccount> List()
    {
        lock (_lock)
        {
            RefreshLocked();
            return [.. _accounts.Values.OrderBy(a => a.Name, StringComparer.Ordinal)];
        }
    }

    public bool Add(AdminAccount account) => Change(a => a.TryAdd(account.Name, account));

    public bool Update(AdminAccount account) => Change(a =>
    {
        if (!a.ContainsKey(account.Name))
            return false;
        a[account.Name] = account;
        return true;
    });

    public bool Remove(string name) => Change(a => a.Remove(name));

    private bool Change(Func<Dictionary<string, AdminAccount>, bool> change)
    {
        lock (_lock)
        {
            // Applied to what is on disk now, so a change another process made is kept; a file refused
            // since is not overwritten with what this process read before.
            RefreshLocked();
            if (_refused is not null)
                throw new IOException($"{Path} changed into a file that is refused; fix it first");
            var next = new Dictionary<string, AdminAccount>(_accounts, StringComparer.Ordinal);
            if (!change(next))
                return false;
            var bytes = JsonSerializer.SerializeToUtf8Bytes(next.Values.OrderBy(a => a.Name, StringComparer.Ordinal), Json);
            OwnerOnlyFile.Replace(Path, bytes);
            (_accounts, _version) = (next, FileVersion.Of(Path));
            return true;
        }
    }

    private void RefreshLocked()
    {
        var version = FileVersion.Of(Path);
        if (version == _version && !version.RacyAt(DateTime.UtcNow))
            return;
        if (version == _refused && !version.RacyAt(DateTime.UtcNow))
            return;
        try
        {
            (_accounts, _version, _refused) = (Read(Path, version), version, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (version != _refused)
                _warn?.Invoke($"admin console: {e.Message}; the accounts read before stay in force");
            _refused = version;
        }
    }

    private static Dictionary<string, AdminAccount> Read(string path, FileVersion version)
    {
        if (!version.Exists)
            return new Dictionary<string, AdminAccount>(StringComparer.Ordinal);
        const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & groupOrOther) != 0)
            throw new IOException($"{path} is open to other users; 'chmod 600' it");
        try
        {
            var list = JsonSerializer.Deserialize<List<AdminAccount>>(File.ReadAllBytes(path), Json) ?? [];
            // A name edited by hand into something the console would never make is not trusted.
            if (list.FirstOrDefault(a => AdminUserName.Normalize(a.Name) != a.Name) is { } bad)
                throw new JsonException($"the name '{bad.Name}' is not a normalized admin name");
            return list.ToDictionary(a => a.Name, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"{path}: not a PostureGate admin account file ({e.Message})");
        }
    }

    /// <summary>What a stat(2) says of the file: enough to see a rename over it or a rewrite.</summary>
    private readonly record struct FileVersion(bool Exists, DateTime Modified, long Length, UnixFileMode Mode)
    {
        public static FileVersion Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists
                ? new FileVersion(true, info.LastWriteTimeUtc, info.Length, OperatingSystem.IsWindows() ? 0 : info.UnixFileMode)
                : default;
        }

        public bool RacyAt(DateTime now) => Exists && now - Modified < Racy;
    }
}
