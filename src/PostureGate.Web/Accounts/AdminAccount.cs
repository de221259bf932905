// One console admin account: a normalized name, a PasswordHasher hash, a role and a security stamp.
namespace PostureGate.Web.Accounts;

/// <param name="Name">Normalized (<see cref="AdminUserName.Normalize"/>): the key for look-up and lock-out alike.</param>
/// <param name="PasswordHash">ASP.NET Core Identity's PasswordHasher format (PBKDF2, salted, versioned).</param>
/// <param name="Stamp">Changes with the password or the role: cookies issued before no longer sign anyone in.</param>
public sealed record AdminAccount(string Name, string PasswordHash, AdminRole Role, string Stamp, DateTimeOffset Created);
