// The machine's configuration key: what `ENC <base64>` secrets are sealed with.
// FortiOS prints secrets as `ENC …`, encrypted with a key of the device, and reads
// them back on that device only (FortiOS CLI reference, "password-3" attributes such
// as psksecret). PostureGate does the same with AES-256-GCM (NIST SP 800-38D):
//   ENC value = base64( version 0x01 | key id (8) | nonce (12) | ciphertext | tag (16) )
// The key id (a hash of the key) lets a file from another machine be told apart from
// a damaged one; version and key id are the associated data, so neither can be swapped.
using System.Security.Cryptography;
using System.Text;

namespace PostureGate.Config.Secrets;

public sealed class ConfigKey : IDisposable
{
    internal const int KeyLength = 32;
    private const byte Version = 1;
    private const int IdLength = 8;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 1 + IdLength;

    private readonly byte[] _key;
    private readonly byte[] _id;

    internal ConfigKey(ReadOnlySpan<byte> key)
    {
        _key = key.ToArray();
        _id = IdOf(_key);
    }

    /// <summary>A short fingerprint of the key, for messages ("this machine's key is …").</summary>
    public string Id => Convert.ToHexStringLower(_id);

    /// <summary>The text after <c>ENC </c> for a secret.</summary>
    public string Seal(ReadOnlySpan<byte> plaintext)
    {
        var sealedBytes = new byte[HeaderLength + NonceLength + plaintext.Length + TagLength];
        var span = sealedBytes.AsSpan();
        span[0] = Version;
        _id.CopyTo(span[1..]);
        var nonce = span.Slice(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_key, TagLength);
        gcm.Encrypt(nonce, plaintext, span.Slice(HeaderLength + NonceLength, plaintext.Length), span[^TagLength..], span[..HeaderLength]);
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Opens an ENC value; on failure, <paramref name="reason"/> says why in words for the admin.</summary>
    public bool TryOpen(string value, out byte[] plaintext, out string reason)
    {
        plaintext = [];
        var raw = new byte[value.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(value, raw, out var length) || length < HeaderLength + NonceLength + TagLength || raw[0] != Version)
        {
            reason = "it is not an ENC value PostureGate wrote (damaged, or from FortiOS, whose device key PostureGate cannot have)";
            return false;
        }
        var span = raw.AsSpan(0, length);
        if (!span.Slice(1, IdLength).SequenceEqual(_id))
        {
            reason = $"it was encrypted with another machine's key ({Convert.ToHexStringLower(span.Slice(1, IdLength))}; this machine's is {Id})";
            return false;
        }
        var cipherLength = length - HeaderLength - NonceLength - TagLength;
        var clear = new byte[cipherLength];
        try
        {
            using var gcm = new AesGcm(_key, TagLength);
            gcm.Decrypt(span.Slice(HeaderLength, NonceLength), span.Slice(HeaderLength + NonceLength, cipherLength), span[^TagLength..], clear, span[..HeaderLength]);
        }
        catch (AuthenticationTagMismatchException)
        {
            reason = "it does not decrypt with this machine's key (the value is damaged)";
            return false;
        }
        plaintext = clear;
        reason = "";
        return true;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private static byte[] IdOf(byte[] key)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("PostureGate config key id"), hash);
        return hash[..IdLength].ToArray();
    }
}
