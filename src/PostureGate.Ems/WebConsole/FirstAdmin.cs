// The console's first admin: made at the first start with a random password that goes to an owner-only
// file in the data directory — never to the console output or a log.
using System.Text;
using PostureGate.Ems.Storage;
using PostureGate.Web.Accounts;

namespace PostureGate.Ems.WebConsole;

internal static class FirstAdmin
{
    public const string Name = "admin";
    public const string FileName = "console-admin.txt";

    /// <summary>When the database has no admin account: makes "admin" (read-write) and writes its
    /// password to <see cref="FileName"/>; returns that file's path, or null when accounts existed
    /// (or another node made the first one at the same moment).</summary>
    public static string? EnsureExists(EmsStore store)
    {
        if (store.ListAdmins().Count > 0)
            return null;
        var password = AdminPasswords.RandomPassword();
        if (!store.AddAdmin(AdminPasswords.Create(Name, password, AdminRole.ReadWrite, store.Time.GetUtcNow())))
            return null;
        var path = Path.Combine(store.DataDirectory, FileName);
        var text = Encoding.UTF8.GetBytes($"user: {Name}\npassword: {password}\n");
        try
        {
            PrivateFile.WriteAtomically(path, text);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(text);
        }
        return path;
    }
}
