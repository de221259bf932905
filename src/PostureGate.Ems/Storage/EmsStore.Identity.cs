// The EMS's own identity, generated once on first open and stored: the serial number
// (FCTEMS + 10 digits, FORTICLIENT_CONNECT `EMSSN=`) and the tenant id (32 hex, `EMSID=`).
// The API keys for gateways and admins are stored as SHA-256 digests only (issue 10 finding 6):
// a key is shown once, when it is made (first server start, `pgate ems apikey rotate`), and a
// database from before that kept them in clear is rewritten to digests when opened.
using System.Security.Cryptography;
using System.Text;
using System.Data.Common;

namespace PostureGate.Ems.Storage;

/// <summary>Which API key: gateways (snapshot, stream, lookups, JWKS) or admins (every route).</summary>
public enum ApiKeyKind
{
    Gateway,
    Admin,
}

public sealed partial class EmsStore
{
    private const string SerialKey = "serial";
    private const string TenantKey = "tenant_id";
    // Before schema 3 the keys sat here in clear; EnsureIdentity moves them to digests.
    private const string LegacyGatewayKey = "api_key.gateway";
    private const string LegacyAdminKey = "api_key.admin";
    private const string GatewayDigestKey = "api_key.gateway.sha256";
    private const string AdminDigestKey = "api_key.admin.sha256";

    public string SerialNumber => ReadMeta(SerialKey)!;

    public string TenantId => ReadMeta(TenantKey)!;

    private void EnsureIdentity(DbConnection connection, string? serialNumber)
    {
        using var tx = Database.Dialect.BeginWrite(connection);
        InsertMetaIfAbsent(connection, tx, SerialKey, serialNumber ?? NewSerialNumber());
        InsertMetaIfAbsent(connection, tx, TenantKey, RandomHex(16));
        foreach (var (legacy, digest) in new[] { (LegacyGatewayKey, GatewayDigestKey), (LegacyAdminKey, AdminDigestKey) })
        {
            if (ReadMeta(connection, tx, legacy) is { } clear)
            {
                InsertMetaIfAbsent(connection, tx, digest, ApiKeyDigestHex(clear));
                using var delete = Command(connection, tx, "DELETE FROM meta WHERE key = $k;", ("$k", legacy));
                delete.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }

    /// <summary>Makes the API keys that do not exist yet; returns them in clear, the only time they are seen.</summary>
    public IReadOnlyDictionary<ApiKeyKind, string> CreateMissingApiKeys()
    {
        var made = new Dictionary<ApiKeyKind, string>();
        using var connection = Database.Open();
        using var tx = Database.Dialect.BeginWrite(connection);
        foreach (var kind in new[] { ApiKeyKind.Gateway, ApiKeyKind.Admin })
        {
            if (ReadMeta(connection, tx, DigestKeyOf(kind)) is not null)
                continue;
            var key = NewApiKey();
            WriteMeta(connection, tx, DigestKeyOf(kind), ApiKeyDigestHex(key));
            made[kind] = key;
        }
        tx.Commit();
        return made;
    }

    /// <summary>Replaces one API key; the new key is returned once and only its digest is kept.
    /// A running server checks keys against the store, so the old key stops working at once.</summary>
    public string RotateApiKey(ApiKeyKind kind)
    {
        var key = NewApiKey();
        using var connection = Database.Open();
        using var tx = Database.Dialect.BeginWrite(connection);
        WriteMeta(connection, tx, DigestKeyOf(kind), ApiKeyDigestHex(key));
        tx.Commit();
        return key;
    }

    /// <summary>Which key <paramref name="presented"/> is, comparing digests in constant time; null: neither.</summary>
    public ApiKeyKind? IdentifyApiKey(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        ApiKeyDigest(presented, digest);
        using var connection = Database.Open();
        var admin = Matches(ReadMeta(connection, null, AdminDigestKey), digest);
        var gateway = Matches(ReadMeta(connection, null, GatewayDigestKey), digest);
        return admin ? ApiKeyKind.Admin : gateway ? ApiKeyKind.Gateway : null;

        static bool Matches(string? storedHex, ReadOnlySpan<byte> digest)
        {
            Span<byte> stored = stackalloc byte[SHA256.HashSizeInBytes];
            if (storedHex is not { Length: SHA256.HashSizeInBytes * 2 }
                || Convert.FromHexString(storedHex, stored, out _, out var written) != System.Buffers.OperationStatus.Done
                || written != stored.Length)
                return false;
            return CryptographicOperations.FixedTimeEquals(stored, digest);
        }
    }

    private static string DigestKeyOf(ApiKeyKind kind) => kind == ApiKeyKind.Admin ? AdminDigestKey : GatewayDigestKey;

    // The keys are 256 random bits: a plain SHA-256 suffices (no password stretching needed).
    private static void ApiKeyDigest(ReadOnlySpan<char> key, Span<byte> digest)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(key)];
        Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes, digest);
        CryptographicOperations.ZeroMemory(bytes);
    }

    private static string ApiKeyDigestHex(string key)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        ApiKeyDigest(key, digest);
        return Convert.ToHexString(digest);
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

    internal static string? ReadMeta(DbConnection connection, DbTransaction? tx, string key)
    {
        using var command = Command(connection, tx, "SELECT value FROM meta WHERE key = $k;", ("$k", key));
        return command.ExecuteScalar() as string;
    }

    internal static void WriteMeta(DbConnection connection, DbTransaction tx, string key, string value)
    {
        using var command = Command(connection, tx,
            "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
            ("$k", key), ("$v", value));
        command.ExecuteNonQuery();
    }

    private static void InsertMetaIfAbsent(DbConnection connection, DbTransaction tx, string key, string value)
    {
        using var command = Command(connection, tx, "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT DO NOTHING;", ("$k", key), ("$v", value));
        command.ExecuteNonQuery();
    }
}
