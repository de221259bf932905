// Where the EMS keeps its private keys (token-signing keys, the endpoint CA): files in the data
// directory with SQLite (FileKeyVault), or — with PostgreSQL, so every node signs with the same
// keys — rows of the database sealed with a key each node holds in a file (SealedKeyVault).
// Names are relative paths ("keys/<kid>.pem", "endpoint-ca.key"); the file vault uses them as such.
using System.Data.Common;

namespace PostureGate.Ems.Storage;

internal abstract class KeyVault
{
    /// <summary>The content of <paramref name="name"/>, or null when there is none. The caller zeroes it.</summary>
    public abstract byte[]? Read(string name, DbConnection? connection = null, DbTransaction? tx = null);

    /// <summary>Stores <paramref name="name"/> as part of the store's write transaction <paramref name="tx"/>
    /// (a file is written at once, atomically).</summary>
    public abstract void Write(string name, ReadOnlySpan<byte> content, DbConnection connection, DbTransaction tx);

    public abstract void Delete(string name);

    /// <summary>Where <paramref name="name"/> lives, for messages.</summary>
    public abstract string Describe(string name);
}
