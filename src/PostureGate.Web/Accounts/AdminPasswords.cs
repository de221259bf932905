// Password hashing for console admins: ASP.NET Core Identity's PasswordHasher (PBKDF2-HMAC-SHA512, V3 format),
// plus making accounts and random first passwords.
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace PostureGate.Web.Accounts;

public static class AdminPasswords
{
    public const int MinLength = 12;
    public const int MaxLength = 256;

    private static readonly PasswordHasher<AdminAccount> Hasher = new();

    // Verified when the name is unknown, so a wrong name costs as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, RandomPassword()));

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    /// <summary>True when <paramref name="password"/> matches; runs the hash even for a missing account.</summary>
    public static bool Verify(AdminAccount? account, string password)
    {
        if (password.Length > MaxLength)
            return false;
        var result = Hasher.VerifyHashedPassword(null!, account?.PasswordHash ?? DecoyHash.Value, password);
        return account is not null && result != PasswordVerificationResult.Failed;
    }

    /// <summary>Null when acceptable, else the one-line reason.</summary>
    public static string? Check(string? password)
        => password is null || password.Length < MinLength ? $"the password must have at least {MinLength} characters"
            : password.Length > MaxLength ? $"the password must have at most {MaxLength} characters"
            : null;

    /// <summary>24 characters from a 56-letter alphabet without look-alikes (~139 bits).</summary>
    public static string RandomPassword()
    {
        const string alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 24);
    }

    public static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static AdminAccount Create(string normalizedName, string password, AdminRole role, DateTimeOffset now)
        => new(normalizedName, Hash(password), role, NewStamp(), now);
}
