// The token-signing keys: RSA-2048 private keys as PKCS#8 PEM files in <data>/keys/<kid>.pem
// (owner-only), indexed by the `signing_keys` table. Exactly one key is active. Rotation
// retires it with publish_until = now + token lifetime, so every token it signed can still be
// verified from the JWKS until it expires; after that it leaves the JWKS and its file is deleted.
// Another process (the CLI) may rotate: Refresh() notices the table changed and reloads.
using System.Security.Cryptography;
using System.Data.Common;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tokens;

internal sealed class SigningKeyRing : IDisposable
{
    public const int KeySizeBits = 2048;
    private const string KeyDirectory = "keys";

    private readonly EmsStore _store;
    private readonly Lock _lock = new();
    private IReadOnlyList<SigningKey> _keys = [];
    private string _fingerprint = "";
    private long _checkedAt = long.MinValue;

    // A rotation by another process is picked up within this; signing never waits on the database.
    private const long RecheckMilliseconds = 1000;

    private SigningKeyRing(EmsStore store) => _store = store;

    /// <summary>Loads the ring, creating the first key when there is none.</summary>
    public static SigningKeyRing Open(EmsStore store)
    {
        var ring = new SigningKeyRing(store);
        using (var connection = store.Database.Open())
        using (var tx = store.Database.Dialect.BeginWrite(connection))
        {
            if (ReadRows(connection, tx).All(r => r.RetiredAt is not null))
            {
                ring.CreateKey(connection, tx);
                tx.Commit();
            }
        }
        ring.Refresh();
        return ring;
    }

    public SigningKey Active
    {
        get
        {
            RefreshIfStale();
            return _keys.First(k => k.IsActive);
        }
    }

    /// <summary>Keys a verifier may meet: the active one and retired ones whose tokens may live.</summary>
    public IReadOnlyList<SigningKey> Published
    {
        get
        {
            RefreshIfStale();
            var now = _store.Now;
            return _keys.Where(k => k.PublishUntil is null || k.PublishUntil > now).ToList();
        }
    }

    /// <summary>Makes a new active key; the old one stays published for one token lifetime.</summary>
    public EmsResult Rotate()
    {
        var now = _store.Now;
        string kid = "";
        var result = _store.Write((connection, tx) =>
        {
            var lifetime = EmsStore.ReadTokenSettings(connection, tx).LifetimeSeconds;
            using (var retire = EmsStore.Command(connection, tx,
                "UPDATE signing_keys SET retired_at = $now, publish_until = $until WHERE retired_at IS NULL;",
                ("$now", now), ("$until", now + lifetime)))
            {
                retire.ExecuteNonQuery();
            }
            kid = CreateKey(connection, tx);
            var data = System.Text.Json.JsonSerializer.Serialize(new { kid });
            return new EmsResult(EmsOutcome.Ok, kid, EmsStore.AppendChange(connection, tx, now, ChangeKinds.KeyRotated, kid, data));
        });
        Refresh();
        return result;
    }

    private void RefreshIfStale()
    {
        if (Environment.TickCount64 - Volatile.Read(ref _checkedAt) >= RecheckMilliseconds)
            Refresh();
    }

    /// <summary>Reloads when the key table differs from what is loaded; prunes expired keys.</summary>
    public void Refresh()
    {
        Volatile.Write(ref _checkedAt, Environment.TickCount64);
        List<KeyRow> rows;
        using (var connection = _store.Database.Open())
            rows = ReadRows(connection, null);
        var now = _store.Now;
        // Expiry is part of the fingerprint so an expired key is pruned without a table change.
        var fingerprint = string.Join(';', rows.Select(r => $"{r.Kid},{r.RetiredAt},{r.PublishUntil},{r.PublishUntil <= now}"));
        lock (_lock)
        {
            if (fingerprint == _fingerprint)
                return;
            var loaded = new List<SigningKey>();
            foreach (var row in rows)
            {
                if (row.PublishUntil is { } until && until <= now)
                {
                    // Its tokens have all expired: nothing can need this private key again.
                    _store.Keys.Delete(KeyName(row.Kid));
                    continue;
                }
                var existing = _keys.FirstOrDefault(k => k.Kid == row.Kid && k.RetiredAt == row.RetiredAt);
                loaded.Add(existing ?? new SigningKey(row.Kid, LoadKey(row.Kid), row.CreatedAt, row.RetiredAt, row.PublishUntil));
            }
            if (!loaded.Any(k => k.IsActive))
                throw new InvalidOperationException("no active token-signing key in " + _store.DataDirectory);
            foreach (var old in _keys.Where(k => !loaded.Contains(k)))
                old.Dispose();
            _keys = loaded;
            _fingerprint = fingerprint;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var key in _keys)
                key.Dispose();
            _keys = [];
            _fingerprint = "";
        }
    }

    private string CreateKey(DbConnection connection, DbTransaction tx)
    {
        using var rsa = RSA.Create(KeySizeBits);
        var kid = JwkThumbprint.Compute(rsa);
        var pem = System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            _store.Keys.Write(KeyName(kid), pem, connection, tx);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pem);
        }
        using var insert = EmsStore.Command(connection, tx,
            "INSERT INTO signing_keys(kid, created_at) VALUES ($kid, $now);", ("$kid", kid), ("$now", _store.Now));
        insert.ExecuteNonQuery();
        return kid;
    }

    private static string KeyName(string kid) => Path.Combine(KeyDirectory, kid + ".pem");

    private RSA LoadKey(string kid)
    {
        var name = KeyName(kid);
        var pem = _store.Keys.Read(name) ?? throw new InvalidOperationException($"{_store.Keys.Describe(name)} is missing");
        try
        {
            return LoadPem(System.Text.Encoding.ASCII.GetString(pem), _store.Keys.Describe(name));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pem);
        }
    }

    /// <summary>Accepts PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") PEM.</summary>
    internal static RSA LoadPem(string path) => LoadPem(File.ReadAllText(path), path);

    private static RSA LoadPem(string text, string path)
    {
        var pem = text.ToCharArray();
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < KeySizeBits)
                throw new CryptographicException($"{path}: RSA key of {rsa.KeySize} bits; at least {KeySizeBits} required");
            return rsa;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pem.AsSpan()));
        }
    }

    private static List<KeyRow> ReadRows(DbConnection connection, DbTransaction? tx)
    {
        using var command = EmsStore.Command(connection, tx, $"SELECT kid, created_at, retired_at, publish_until FROM signing_keys ORDER BY created_at, {SqlDialect.Of(connection).InsertionOrder("kid")};");
        using var reader = command.ExecuteReader();
        var rows = new List<KeyRow>();
        while (reader.Read())
            rows.Add(new KeyRow(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        return rows;
    }

    private readonly record struct KeyRow(string Kid, long CreatedAt, long? RetiredAt, long? PublishUntil);
}
