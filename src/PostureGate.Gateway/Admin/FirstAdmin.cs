// The first console admin: when the gateway's account file is empty, "admin" (read-write) is made
// with a random password, written owner-only to <data>/admin.password; the logs and the terminal
// get that file's path, never the password. Whoever can read the file can sign in, as with the
// EMS's first admin. Deleting the file after the first sign-in is the operator's choice.
using PostureGate.Web.Accounts;

namespace PostureGate.Gateway.Admin;

public static class FirstAdmin
{
    public const string Name = "admin";
    public const string PasswordFileName = "admin.password";

    /// <summary>Creates the first admin when there is none; returns the password file's path then, else null.</summary>
    public static string? EnsureExists(IAdminAccountStore accounts, string dataDirectory, TimeProvider time)
    {
        if (accounts.List().Count > 0)
            return null;
        var password = AdminPasswords.RandomPassword();
        var path = Path.GetFullPath(Path.Combine(dataDirectory, PasswordFileName));
        OwnerOnlyFile.Replace(path, System.Text.Encoding.UTF8.GetBytes(password + "\n"));
        accounts.Add(AdminPasswords.Create(Name, password, AdminRole.ReadWrite, time.GetUtcNow()));
        return path;
    }

    /// <summary>Where the first admin's password is kept, if that file is still there.</summary>
    public static string? PasswordFile(string dataDirectory)
    {
        var path = Path.GetFullPath(Path.Combine(dataDirectory, PasswordFileName));
        return File.Exists(path) ? path : null;
    }
}
