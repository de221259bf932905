// RFC 2759 §8.3 and §8.5: a password's NT hash and the three DES keys ChallengeResponse
// makes of it, computed once per password instead of on every EAP-MSCHAPv2 check (the MD4
// and the three DES key schedules were about 3 % of the gateway's CPU per IKE SA).
// The cache is keyed by the password text, holds at most MaxEntries (cleared when full, so a
// stream of reloads with changed passwords cannot grow it), and lives as long as the process:
// the configuration holds the same passwords in clear anyway. An unknown user is checked
// against one random password's keys, so it costs the same work as a known one (no user
// enumeration by timing).
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;

namespace PostureGate.Ike.Eap;

internal sealed class MsChapV2PasswordKeys
{
    internal const int MaxEntries = 4096;
    private static readonly Dictionary<string, MsChapV2PasswordKeys> ByPassword = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();
    private static readonly Lazy<MsChapV2PasswordKeys> Unknown = new(CreateUnknown);

    private readonly byte[] _hash;
    // DesEngine.ProcessBlock only reads its key schedule: one engine serves concurrent checks.
    private readonly DesEngine[] _des;

    private MsChapV2PasswordKeys(ReadOnlySpan<byte> passwordHash)
    {
        _hash = passwordHash.ToArray();
        _des = MsChapV2.DesKeys(passwordHash);
    }

    /// <summary>RFC 2759 §8.3 NtPasswordHash of the password.</summary>
    public ReadOnlySpan<byte> PasswordHash => _hash;

    /// <summary>The keys of <paramref name="password"/>, made on first use.</summary>
    public static MsChapV2PasswordKeys For(string password)
    {
        lock (Gate)
        {
            if (ByPassword.TryGetValue(password, out var keys))
                return keys;
        }
        Span<byte> hash = stackalloc byte[MsChapV2.PasswordHashLength];
        MsChapV2PasswordKeys made;
        try
        {
            MsChapV2.NtPasswordHash(password, hash);
            made = new MsChapV2PasswordKeys(hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
        }
        lock (Gate)
        {
            if (ByPassword.Count >= MaxEntries)
                ByPassword.Clear();
            ByPassword.TryAdd(password, made);
            return ByPassword[password];
        }
    }

    /// <summary>Keys of a random password no user has: the work an unknown user's check does.</summary>
    public static MsChapV2PasswordKeys ForUnknownUser => Unknown.Value;

    /// <summary>RFC 2759 §8.5 ChallengeResponse: the challenge encrypted under each of the three keys.</summary>
    public void ChallengeResponse(ReadOnlySpan<byte> challenge, Span<byte> response)
    {
        if (challenge.Length != 8 || response.Length != MsChapV2.NtResponseLength)
            throw new ArgumentException("MS-CHAPv2 challenge is 8 octets, the response 24");
        for (var i = 0; i < 3; i++)
            _des[i].ProcessBlock(challenge, response.Slice(8 * i, 8));
    }

    private static MsChapV2PasswordKeys CreateUnknown()
    {
        Span<byte> hash = stackalloc byte[MsChapV2.PasswordHashLength];
        RandomNumberGenerator.Fill(hash);
        var keys = new MsChapV2PasswordKeys(hash);
        CryptographicOperations.ZeroMemory(hash);
        return keys;
    }
}
