// The gateway's console admins in one owner-only JSON file, <data>/admins.json: names, PasswordHasher
// hashes (never a password), roles and security stamps. Rewritten whole and atomically on each change
// (Admin/OwnerOnlyFile.cs); read once at start. A file open to other users, or not ours to parse, is
// refused with one line rather than trusted.
using System.Text.Json;
using System.Text.Json.Serialization;
using PostureGate.Web.Accounts;

namespace PostureGate.Gateway.Admin;

public sealed class AdminAccountFile : IAdminAccountStore
{
    public const string FileName = "admins.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = true,
    };

    private readonly Lock _lock = new();
    private readonly Dictionary<string, AdminAccount> _accounts;

    private AdminAccountFile(string path, Dictionary<string, AdminAccount> accounts)
    {
        Path = path;
        _accounts = accounts;
    }

    public string Path { get; }

    /// <summary>Opens (or starts empty) the file in <paramref name="dataDirectory"/>; throws IOException with one line when it cannot be trusted.</summary>
    public static AdminAccountFile Open(string dataDirectory)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, FileName));
        if (!File.Exists(path))
            return new AdminAccountFile(path, new Dictionary<string, AdminAccount>(StringComparer.Ordinal));
        const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & groupOrOther) != 0)
            throw new IOException($"{path} is open to other users; 'chmod 600' it");
        try
        {
            var list = JsonSerializer.Deserialize<List<AdminAccount>>(File.ReadAllBytes(path), Json) ?? [];
            // A name edited by hand into something the console would never make is not trusted.
            if (list.FirstOrDefault(a => AdminUserName.Normalize(a.Name) != a.Name) is { } bad)
                throw new JsonException($"the name '{bad.Name}' is not a normalized admin name");
            return new AdminAccountFile(path, list.ToDictionary(a => a.Name, StringComparer.Ordinal));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            throw new IOException($"{path}: not a PostureGate admin account file ({e.Message})");
        }
    }

    public AdminAccount? Find(string name)
    {
        lock (_lock)
            return _accounts.GetValueOrDefault(name);
    }

    public IReadOnlyList<AdminAccount> List()
    {
        lock (_lock)
            return [.. _accounts.Values.OrderBy(a => a.Name, StringComparer.Ordinal)];
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
            if (!change(_accounts))
                return false;
            OwnerOnlyFile.Replace(Path, JsonSerializer.SerializeToUtf8Bytes(_accounts.Values.OrderBy(a => a.Name, StringComparer.Ordinal), Json));
            return true;
        }
    }
}
