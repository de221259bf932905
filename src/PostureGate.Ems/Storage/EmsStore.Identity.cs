// The EMS's own identity, generated once on first open and stored: the serial number
// (FCTEMS + 10 digits, FORTICLIENT_CONNECT `EMSSN=`), the tenant id (32 hex, `EMSID=`), and the
// API keys for gateways and admins.
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore
{
    private const string SerialKey = "serial";
    private const string TenantKey = "tenant_id";
    private const string GatewayKeyKey = "api_key.gateway";
    private const string AdminKeyKey = "api_key.admin";

    public string SerialNumber => ReadMeta(SerialKey)!;

    public string TenantId => ReadMeta(TenantKey)!;

    /// <summary>The key gateways send (snapshot, change stream, lookups, JWKS).</summary>
    public string GatewayApiKey => ReadMeta(GatewayKeyKey)!;

    /// <summary>The key admins send; it also opens every gateway route.</summary>
    public string AdminApiKey => ReadMeta(AdminKeyKey)!;

    private void EnsureIdentity(SqliteConnection connection, string? serialNumber)
    {
        using var tx = connection.BeginTransaction(deferred: false);
        InsertMetaIfAbsent(connection, tx, SerialKey, serialNumber ?? NewSerialNumber());
        InsertMetaIfAbsent(connection, tx, TenantKey, RandomHex(16));
        InsertMetaIfAbsent(connection, tx, GatewayKeyKey, NewApiKey());
        InsertMetaIfAbsent(connection, tx, AdminKeyKey, NewApiKey());
        tx.Commit();
    }

    /// <summary>FortiClient EMS serials look like FCTEMS8826000120.</summary>
    internal static string NewSerialNumber()
    {
        Span<char> digits = stackalloc char[10];
        for (var i = 0; i < digits.Length; i++)
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        return "FCTEMS" + new string(digits);
    }

    /// <summary>FCTEMS and 10 digits.</summary>
    public static bool IsSerialNumber(string text) =>
        text.Length == 16 && text.StartsWith("FCTEMS", StringComparison.Ordinal) && text.AsSpan(6).IndexOfAnyExceptInRange('0', '9') < 0;

    private static string NewApiKey()
    {
        Span<byte> secret = stackalloc byte[32];
        RandomNumberGenerator.Fill(secret);
        var key = "pgk_" + Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        CryptographicOperations.ZeroMemory(secret);
        return key;
    }

    internal string? ReadMeta(string key)
    {
        using var connection = Database.Open();
        return ReadMeta(connection, null, key);
    }

    internal static string? ReadMeta(SqliteConnection connection, SqliteTransaction? tx, string key)
    {
        using var command = Command(connection, tx, "SELECT value FROM meta WHERE key = $k;", ("$k", key));
        return command.ExecuteScalar() as string;
    }

    internal static void WriteMeta(SqliteConnection connection, SqliteTransaction tx, string key, string value)
    {
        using var command = Command(connection, tx,
            "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
            ("$k", key), ("$v", value));
        command.ExecuteNonQuery();
    }

    private static void InsertMetaIfAbsent(SqliteConnection connection, SqliteTransaction tx, string key, string value)
    {
        using var command = Command(connection, tx, "INSERT OR IGNORE INTO meta(key, value) VALUES ($k, $v);", ("$k", key), ("$v", value));
        command.ExecuteNonQuery();
    }
}
