// MS-CHAPv2 algorithms: RFC 2759 §8 (NT-Response, Authenticator Response) and
// RFC 3079 §3.4 (master key, asymmetric start keys), plus the MSK an IKEv2
// EAP-MSCHAPv2 exchange exports. MD4 and single DES come from BouncyCastle: the
// BCL has no MD4, and its DES refuses the weak keys a password hash can yield.
// Every intermediate derived from the password is zeroed before returning
// (BouncyCastle's internal DES key schedule excepted: it lives in a local
// engine object and cannot be cleared).
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace PostureGate.Ike.Eap;

public static class MsChapV2
{
    public const int ChallengeLength = 16;
    public const int PasswordHashLength = 16;
    public const int NtResponseLength = 24;
    public const int AuthenticatorResponseLength = 20;
    public const int MasterKeyLength = 16;

    /// <summary>64 bytes, the layout strongSwan 5.9.8's eap_mschapv2 exports (see <see cref="CreateMsk"/>).</summary>
    public const int MskLength = 64;

    // RFC 2759 §8.7.
    private static ReadOnlySpan<byte> AuthMagic1 => "Magic server to client signing constant"u8;
    private static ReadOnlySpan<byte> AuthMagic2 => "Pad to make it do more than one iteration"u8;

    // RFC 3079 §3.4.
    private static ReadOnlySpan<byte> MasterKeyMagic => "This is the MPPE Master Key"u8;
    private static ReadOnlySpan<byte> ClientSendServerReceive =>
        "On the client side, this is the send key; on the server side, it is the receive key."u8;
    private static ReadOnlySpan<byte> ClientReceiveServerSend =>
        "On the client side, this is the receive key; on the server side, it is the send key."u8;

    /// <summary>RFC 2759 §8.3 NtPasswordHash: MD4 of the UTF-16LE password.</summary>
    public static void NtPasswordHash(ReadOnlySpan<char> password, Span<byte> passwordHash)
    {
        CheckLength(passwordHash, PasswordHashLength, nameof(passwordHash));
        var unicode = new byte[password.Length * 2];
        try
        {
            System.Text.Encoding.Unicode.GetBytes(password, unicode);
            Md4(unicode, passwordHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(unicode);
        }
    }

    /// <summary>RFC 2759 §8.4 HashNtPasswordHash: MD4 of the password hash.</summary>
    public static void HashNtPasswordHash(ReadOnlySpan<byte> passwordHash, Span<byte> passwordHashHash)
    {
        CheckLength(passwordHash, PasswordHashLength, nameof(passwordHash));
        CheckLength(passwordHashHash, PasswordHashLength, nameof(passwordHashHash));
        Md4(passwordHash, passwordHashHash);
    }

    /// <summary>
    /// RFC 2759 §8.2 ChallengeHash: first 8 octets of SHA-1(PeerChallenge ‖
    /// AuthenticatorChallenge ‖ UserName), the user name without any domain.
    /// </summary>
    public static void ChallengeHash(ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge,
        ReadOnlySpan<byte> userName, Span<byte> challenge)
    {
        CheckLength(peerChallenge, ChallengeLength, nameof(peerChallenge));
        CheckLength(authenticatorChallenge, ChallengeLength, nameof(authenticatorChallenge));
        CheckLength(challenge, 8, nameof(challenge));
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(peerChallenge);
        sha1.AppendData(authenticatorChallenge);
        sha1.AppendData(userName);
        Span<byte> digest = stackalloc byte[20];
        sha1.GetHashAndReset(digest);
        digest[..8].CopyTo(challenge);
    }

    /// <summary>
    /// The part of a name that goes into ChallengeHash: what follows the first
    /// backslash of "DOMAIN\user" (RFC 2759 §4 sends the full name, §8.2 hashes
    /// the user name only; strongSwan and Windows split at the first '\').
    /// </summary>
    public static ReadOnlySpan<byte> UserNameForHash(ReadOnlySpan<byte> name)
    {
        var slash = name.IndexOf((byte)'\\');
        return slash < 0 ? name : name[(slash + 1)..];
    }

    /// <summary>
    /// RFC 2759 §8.1 GenerateNTResponse, from the password hash (§8.3) so that no
    /// caller has to keep the password itself.
    /// </summary>
    public static void GenerateNTResponse(ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> peerChallenge,
        ReadOnlySpan<byte> userName, ReadOnlySpan<byte> passwordHash, Span<byte> ntResponse)
    {
        CheckLength(ntResponse, NtResponseLength, nameof(ntResponse));
        Span<byte> challenge = stackalloc byte[8];
        ChallengeHash(peerChallenge, authenticatorChallenge, userName, challenge);
        ChallengeResponse(challenge, passwordHash, ntResponse);
    }

    /// <summary>
    /// RFC 2759 §8.5 ChallengeResponse: the 16-octet hash, zero-padded to 21,
    /// as three 7-octet DES keys each encrypting the 8-octet challenge (§8.6).
    /// </summary>
    public static void ChallengeResponse(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> passwordHash, Span<byte> response)
    {
        CheckLength(challenge, 8, nameof(challenge));
        CheckLength(passwordHash, PasswordHashLength, nameof(passwordHash));
        CheckLength(response, NtResponseLength, nameof(response));
        var des = DesKeys(passwordHash);
        for (var i = 0; i < 3; i++)
            des[i].ProcessBlock(challenge, response.Slice(8 * i, 8));
    }

    /// <summary>RFC 2759 §8.5, §8.6: the three DES engines keyed by the zero-padded password hash.</summary>
    internal static DesEngine[] DesKeys(ReadOnlySpan<byte> passwordHash)
    {
        Span<byte> zPasswordHash = stackalloc byte[21];
        Span<byte> key = stackalloc byte[8];
        var des = new DesEngine[3];
        try
        {
            zPasswordHash.Clear();
            passwordHash.CopyTo(zPasswordHash);
            for (var i = 0; i < 3; i++)
            {
                ExpandDesKey(zPasswordHash.Slice(7 * i, 7), key);
                des[i] = new DesEngine();
                des[i].Init(forEncryption: true, new KeyParameter(key));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(zPasswordHash);
            CryptographicOperations.ZeroMemory(key);
        }
        return des;
    }

    /// <summary>RFC 2759 §8.7 GenerateAuthenticatorResponse: the 20 octets behind "S=".</summary>
    public static void GenerateAuthenticatorResponse(ReadOnlySpan<byte> passwordHash, ReadOnlySpan<byte> ntResponse,
        ReadOnlySpan<byte> peerChallenge, ReadOnlySpan<byte> authenticatorChallenge, ReadOnlySpan<byte> userName,
        Span<byte> authenticatorResponse)
    {
        CheckLength(ntResponse, NtResponseLength, nameof(ntResponse));
        CheckLength(authenticatorResponse, AuthenticatorResponseLength, nameof(authenticatorResponse));
        Span<byte> passwordHashHash = stackalloc byte[PasswordHashLength];
        Span<byte> digest = stackalloc byte[20];
        Span<byte> challenge = stackalloc byte[8];
        try
        {
            HashNtPasswordHash(passwordHash, passwordHashHash);
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            sha1.AppendData(passwordHashHash);
            sha1.AppendData(ntResponse);
            sha1.AppendData(AuthMagic1);
            sha1.GetHashAndReset(digest);
            ChallengeHash(peerChallenge, authenticatorChallenge, userName, challenge);
            sha1.AppendData(digest);
            sha1.AppendData(challenge);
            sha1.AppendData(AuthMagic2);
            sha1.GetHashAndReset(authenticatorResponse);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordHashHash);
            CryptographicOperations.ZeroMemory(digest);
        }
    }

    /// <summary>RFC 2759 §8.7: "S=" followed by 40 upper-case hexadecimal digits.</summary>
    public static string FormatAuthenticatorResponse(ReadOnlySpan<byte> authenticatorResponse)
    {
        CheckLength(authenticatorResponse, AuthenticatorResponseLength, nameof(authenticatorResponse));
        return "S=" + Convert.ToHexString(authenticatorResponse);
    }

    /// <summary>
    /// RFC 2759 §8.8 CheckAuthenticatorResponse: true when <paramref name="received"/>
    /// is "S=" and 40 hex digits (either case) equal to the expected response. The
    /// comparison of the 20 octets runs in constant time.
    /// </summary>
    public static bool CheckAuthenticatorResponse(ReadOnlySpan<byte> expected, ReadOnlySpan<char> received)
    {
        CheckLength(expected, AuthenticatorResponseLength, nameof(expected));
        if (received.Length != 2 + 2 * AuthenticatorResponseLength || !received.StartsWith("S="))
            return false;
        Span<byte> decoded = stackalloc byte[AuthenticatorResponseLength];
        if (Convert.FromHexString(received[2..], decoded, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != AuthenticatorResponseLength)
            return false;
        return CryptographicOperations.FixedTimeEquals(decoded, expected);
    }

    /// <summary>RFC 3079 §3.4 GetMasterKey: SHA-1(PasswordHashHash ‖ NT-Response ‖ Magic1), first 16 octets.</summary>
    public static void GetMasterKey(ReadOnlySpan<byte> passwordHashHash, ReadOnlySpan<byte> ntResponse, Span<byte> masterKey)
    {
        CheckLength(passwordHashHash, PasswordHashLength, nameof(passwordHashHash));
        CheckLength(ntResponse, NtResponseLength, nameof(ntResponse));
        CheckLength(masterKey, MasterKeyLength, nameof(masterKey));
        Span<byte> digest = stackalloc byte[20];
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(passwordHashHash);
        sha1.AppendData(ntResponse);
        sha1.AppendData(MasterKeyMagic);
        sha1.GetHashAndReset(digest);
        digest[..MasterKeyLength].CopyTo(masterKey);
        CryptographicOperations.ZeroMemory(digest);
    }

    /// <summary>
    /// RFC 3079 §3.4 GetAsymmetricStartKey: SHA-1(MasterKey ‖ SHSpad1 ‖ s ‖ SHSpad2)
    /// truncated to the session key's length, s being Magic2 for the client's send
    /// (= the server's receive) key and Magic3 for the other direction.
    /// </summary>
    public static void GetAsymmetricStartKey(ReadOnlySpan<byte> masterKey, Span<byte> sessionKey, bool isSend, bool isServer)
    {
        CheckLength(masterKey, MasterKeyLength, nameof(masterKey));
        if (sessionKey.Length is < 1 or > 20)
            throw new ArgumentException("session key is 1 to 20 octets", nameof(sessionKey));
        var magic = isSend != isServer ? ClientSendServerReceive : ClientReceiveServerSend;
        Span<byte> pad1 = stackalloc byte[40];
        Span<byte> pad2 = stackalloc byte[40];
        pad1.Clear();
        pad2.Fill(0xF2);
        Span<byte> digest = stackalloc byte[20];
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha1.AppendData(masterKey);
        sha1.AppendData(pad1);
        sha1.AppendData(magic);
        sha1.AppendData(pad2);
        sha1.GetHashAndReset(digest);
        digest[..sessionKey.Length].CopyTo(sessionKey);
        CryptographicOperations.ZeroMemory(digest);
    }

    /// <summary>
    /// The 64-octet MSK, laid out as strongSwan 5.9.8 (eap_mschapv2.c, GenerateMSK)
    /// builds it on both the server and the peer:
    /// <c>key(Magic2) ‖ key(Magic3) ‖ 32 zero octets</c>, 16-octet keys. Magic2's key
    /// is the server's MasterReceiveKey (= the client's MasterSendKey), so the MSK
    /// is the authenticator's receive key first, then its send key: the order
    /// RADIUS servers give MS-MPPE-Recv-Key / MS-MPPE-Send-Key and Windows uses.
    /// Both sides get the same bytes, as IKEv2's AUTH (RFC 7296 §2.16) needs.
    /// </summary>
    public static byte[] CreateMsk(ReadOnlySpan<byte> passwordHash, ReadOnlySpan<byte> ntResponse)
    {
        Span<byte> passwordHashHash = stackalloc byte[PasswordHashLength];
        Span<byte> masterKey = stackalloc byte[MasterKeyLength];
        var msk = new byte[MskLength];
        try
        {
            HashNtPasswordHash(passwordHash, passwordHashHash);
            GetMasterKey(passwordHashHash, ntResponse, masterKey);
            GetAsymmetricStartKey(masterKey, msk.AsSpan(0, 16), isSend: false, isServer: true);
            GetAsymmetricStartKey(masterKey, msk.AsSpan(16, 16), isSend: true, isServer: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordHashHash);
            CryptographicOperations.ZeroMemory(masterKey);
        }
        return msk;
    }

    /// <summary>RFC 2759 §8.6: seven key octets spread over eight (the low bit of each is DES parity, ignored).</summary>
    private static void ExpandDesKey(ReadOnlySpan<byte> key7, Span<byte> key8)
    {
        key8[0] = key7[0];
        for (var i = 1; i < 7; i++)
            key8[i] = (byte)((key7[i - 1] << (8 - i)) | (key7[i] >> i));
        key8[7] = (byte)(key7[6] << 1);
    }

    private static void Md4(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var md4 = new MD4Digest();
        md4.BlockUpdate(input);
        md4.DoFinal(output);
        md4.Reset();
    }

    private static void CheckLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
            throw new ArgumentException($"must be {length} octets", name);
    }
}
