// Private keys as owner-only files in the data directory (the SQLite layout): each written to a
// temporary file, fsynced and renamed, so a crash leaves the old key or the new.
using System.Data.Common;

namespace PostureGate.Ems.Storage;

internal sealed class FileKeyVault(string dataDirectory) : KeyVault
{
    public override byte[]? Read(string name, DbConnection? connection = null, DbTransaction? tx = null)
    {
        var path = PathOf(name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public override void Write(string name, ReadOnlySpan<byte> content, DbConnection connection, DbTransaction tx)
    {
        var path = PathOf(name);
        EmsStore.CreatePrivateDirectory(Path.GetDirectoryName(path)!);
        PrivateFile.WriteAtomically(path, content);
    }

    public override void Delete(string name) => File.Delete(PathOf(name));

    public override string Describe(string name) => PathOf(name);

    private string PathOf(string name) => Path.Combine(dataDirectory, name);
}
