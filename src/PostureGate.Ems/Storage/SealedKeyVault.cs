// Private keys shared by the EMS nodes of one PostgreSQL database (issue 16): rows of
// `sealed_keys`, each AES-256-GCM sealed (NIST SP 800-38D) with the node key from a file every
// node holds (`--key-file`, default <data>/cluster.key). The row's name is the associated data,
// so a sealed key cannot be moved to another name. A check row, sealed when the first node
// starts, lets a node with a different key file be refused at start rather than at first use.
// Sealed form: version (1) | nonce (12) | tag (16) | ciphertext.
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;

namespace PostureGate.Ems.Storage;

internal sealed class SealedKeyVault : KeyVault, IDisposable
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const string CheckName = "vault.check";
    private static readonly byte[] CheckContent = "pgate-ems sealed key vault"u8.ToArray();

    private readonly EmsStore _store;
    private readonly byte[] _key;

    private SealedKeyVault(EmsStore store, byte[] key)
    {
        _store = store;
        _key = key;
    }

    /// <summary>Opens the vault with the key in <paramref name="keyFile"/>, making the file when
    /// neither it nor any sealed key exists yet (the first node), and checking it otherwise.</summary>
    public static SealedKeyVault Open(EmsStore store, string keyFile)
    {
        byte[] key;
        if (File.Exists(keyFile))
        {
            key = NodeKeyFile.Read(keyFile);
        }
        else
        {
            if (AnySealed(store))
                throw new InvalidOperationException(
                    $"{keyFile} does not exist, but the database's keys are sealed with a node key: copy the key file of a running node there (or name it with --key-file)");
            key = NodeKeyFile.Create(keyFile);
        }
        var vault = new SealedKeyVault(store, key);
        vault.Check(keyFile);
        return vault;
    }

    public override byte[]? Read(string name, DbConnection? connection = null, DbTransaction? tx = null)
    {
        byte[]? sealedBytes;
        if (connection is null)
        {
            using var own = _store.Database.Open();
            sealedBytes = ReadSealed(own, null, name);
        }
        else
        {
            sealedBytes = ReadSealed(connection, tx, name);
        }
        return sealedBytes is null ? null : Unseal(name, sealedBytes);
    }

    public override void Write(string name, ReadOnlySpan<byte> content, DbConnection connection, DbTransaction tx)
    {
        using var command = EmsStore.Command(connection, tx,
            "INSERT INTO sealed_keys(name, sealed) VALUES ($n, $s) ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed;",
            ("$n", name), ("$s", Seal(name, content)));
        command.ExecuteNonQuery();
    }

    public override void Delete(string name)
    {
        using var connection = _store.Database.Open();
        using var command = EmsStore.Command(connection, null, "DELETE FROM sealed_keys WHERE name = $n;", ("$n", name));
        command.ExecuteNonQuery();
    }

    public override string Describe(string name) => $"sealed key {name} in {_store.Database.Describe}";

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private byte[] Seal(string name, ReadOnlySpan<byte> content)
    {
        var sealedBytes = new byte[1 + NonceSize + TagSize + content.Length];
        sealedBytes[0] = FormatVersion;
        var nonce = sealedBytes.AsSpan(1, NonceSize);
        // A random 96-bit nonce per seal: keys are sealed a handful of times per year.
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, content, sealedBytes.AsSpan(1 + NonceSize + TagSize), sealedBytes.AsSpan(1 + NonceSize, TagSize), AssociatedData(name));
        return sealedBytes;
    }

    private byte[] Unseal(string name, byte[] sealedBytes)
    {
        if (sealedBytes.Length < 1 + NonceSize + TagSize || sealedBytes[0] != FormatVersion)
            throw new InvalidOperationException($"{Describe(name)} is not in a sealed form this pgate reads");
        var plain = new byte[sealedBytes.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(1, NonceSize), sealedBytes.AsSpan(1 + NonceSize + TagSize), sealedBytes.AsSpan(1 + NonceSize, TagSize), plain, AssociatedData(name));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidOperationException($"{Describe(name)} does not open with this node's key file");
        }
        return plain;
    }

    private void Check(string keyFile)
    {
        using var connection = _store.Database.Open();
        using (var tx = _store.Database.Dialect.BeginWrite(connection))
        {
            if (ReadSealed(connection, tx, CheckName) is null)
            {
                Write(CheckName, CheckContent, connection, tx);
                tx.Commit();
                return;
            }
        }
        try
        {
            var content = Read(CheckName, connection, null);
            if (content is null || !content.AsSpan().SequenceEqual(CheckContent))
                throw new InvalidOperationException("check value differs");
        }
        catch (InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"{keyFile} is not the key this database's keys are sealed with: every EMS node of one database needs the same key file");
        }
    }

    private static bool AnySealed(EmsStore store)
    {
        using var connection = store.Database.Open();
        using var command = EmsStore.Command(connection, null, "SELECT 1 FROM sealed_keys LIMIT 1;");
        return command.ExecuteScalar() is not null;
    }

    private static byte[]? ReadSealed(DbConnection connection, DbTransaction? tx, string name)
    {
        using var command = EmsStore.Command(connection, tx, "SELECT sealed FROM sealed_keys WHERE name = $n;", ("$n", name));
        return command.ExecuteScalar() as byte[];
    }

    private static byte[] AssociatedData(string name) => Encoding.UTF8.GetBytes("pgate-ems-key:" + name);
}
