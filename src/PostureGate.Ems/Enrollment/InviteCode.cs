// Invitation codes (issue 10 "Enrollment", like FortiClient EMS invitations): `pgi_<id>_<secret>`.
// The id (8 hex) names the row; the secret (256 random bits, base64url) is stored only as its
// SHA-256 and compared in constant time. Shown once, by `pgate ems invite create`.
using System.Security.Cryptography;
using System.Text;

namespace PostureGate.Ems.Enrollment;

public readonly record struct InviteCode(string Id, string Secret)
{
    private const string Prefix = "pgi_";
    private const int IdChars = 8;
    private const int SecretBytes = 32;
    private const int MaxChars = 128;

    public static InviteCode New()
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var text = Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        CryptographicOperations.ZeroMemory(secret);
        return new InviteCode(Convert.ToHexString(RandomNumberGenerator.GetBytes(IdChars / 2)).ToLowerInvariant(), text);
    }

    public override string ToString() => $"{Prefix}{Id}_{Secret}";

    public static bool TryParse(string? text, out InviteCode code)
    {
        code = default;
        if (text is null || text.Length > MaxChars || !text.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var rest = text.AsSpan(Prefix.Length);
        var underscore = rest.IndexOf('_');
        if (underscore != IdChars || rest.Length == underscore + 1)
            return false;
        var id = rest[..underscore];
        foreach (var c in id)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
                return false;
        }
        code = new InviteCode(id.ToString(), rest[(underscore + 1)..].ToString());
        return true;
    }

    public byte[] SecretDigest() => SHA256.HashData(Encoding.UTF8.GetBytes(Secret));
}
