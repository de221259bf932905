// RFC 8031 Curve25519 (group 31) on libcrypto's X25519 through EVP_PKEY raw
// keys: several times faster than the managed BouncyCastle code
// (Curve25519KeyExchange, the fallback). Same encodings: 32-byte
// little-endian u-coordinates (RFC 8031 §3.1, RFC 7748 §5). OpenSSL's derive
// fails on the all-zero result (RFC 7748 §6.1); it is checked here again.
using System.Security.Cryptography;
using PostureGate.Proposals;
using static PostureGate.Ike.Crypto.KeyExchange.LibCrypto;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal sealed unsafe class NativeCurve25519KeyExchange : KeyExchange
{
    private const int KeyLength = Curve25519KeyExchange.KeyLength;

    // Agreement with the managed implementation proves the encodings match.
    private static readonly Lazy<bool> s_available = new(() => AgreesWith(
        () => new NativeCurve25519KeyExchange(default), () => new Curve25519KeyExchange(default)));

    private readonly OwnedHandle _key;
    private readonly byte[] _publicValue = new byte[KeyLength];

    /// <param name="privateKey">Empty for a fresh key (the normal case); else the 32-byte scalar.</param>
    public NativeCurve25519KeyExchange(ReadOnlySpan<byte> privateKey)
    {
        if (!privateKey.IsEmpty && privateKey.Length != KeyLength)
            throw new ArgumentException("an X25519 private key is 32 bytes", nameof(privateKey));
        Span<byte> scalar = stackalloc byte[KeyLength];
        try
        {
            if (privateKey.IsEmpty)
                RandomNumberGenerator.Fill(scalar);
            else
                privateKey.CopyTo(scalar);
            nint pkey;
            fixed (byte* k = scalar)
                pkey = EVP_PKEY_new_raw_private_key(EvpPkeyX25519, 0, k, KeyLength);
            if (pkey == 0)
                throw Failure("EVP_PKEY_new_raw_private_key");
            _key = new OwnedHandle(pkey, &EVP_PKEY_free);
        }
        finally
        {
            // OpenSSL keeps its own (clamped) copy.
            CryptographicOperations.ZeroMemory(scalar);
        }
        nuint length = KeyLength;
        fixed (byte* pub = _publicValue)
        {
            if (EVP_PKEY_get_raw_public_key(_key.DangerousGetHandle(), pub, &length) != 1 || length != KeyLength)
            {
                _key.Dispose();
                throw Failure("EVP_PKEY_get_raw_public_key");
            }
        }
    }

    /// <summary>True when libcrypto loaded and reproduces an X25519 agreement.</summary>
    public static bool IsAvailable => s_available.Value;

    public override KeyExchangeMethod Method => KeyExchangeMethod.Curve25519;

    private protected override ReadOnlySpan<byte> PublicValueCore => _publicValue;

    private protected override bool TryComputeSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        nint peer = 0, ctx = 0;
        var secret = new byte[KeyLength];
        try
        {
            fixed (byte* p = peerPublicValue)
                peer = EVP_PKEY_new_raw_public_key(EvpPkeyX25519, 0, p, (nuint)peerPublicValue.Length);
            ctx = EVP_PKEY_CTX_new(_key.DangerousGetHandle(), 0);
            if (peer == 0 || ctx == 0)
                throw Failure("EVP_PKEY_new_raw_public_key / EVP_PKEY_CTX_new");
            nuint length = KeyLength;
            int derived;
            fixed (byte* s = secret)
            {
                derived = EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer(ctx, peer) == 1
                    ? EVP_PKEY_derive(ctx, s, &length)
                    : 0;
            }
            // RFC 8031 §2: an all-zero result MUST be rejected.
            if (derived != 1 || length != KeyLength || !secret.AsSpan().ContainsAnyExcept((byte)0))
            {
                ERR_clear_error();
                CryptographicOperations.ZeroMemory(secret);
                return false;
            }
            sharedSecret = secret;
            return true;
        }
        finally
        {
            if (ctx != 0) EVP_PKEY_CTX_free(ctx);
            if (peer != 0) EVP_PKEY_free(peer);
        }
    }

    private protected override void ZeroPrivateKey() => _key.Dispose();
}
