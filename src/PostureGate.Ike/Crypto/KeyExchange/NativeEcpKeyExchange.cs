// RFC 5903 ECP groups 19, 20, 21 straight on libcrypto's EC_KEY and
// ECDH_compute_key: a key pair and an agreement cost two scalar
// multiplications. The platform's ECDiffieHellman (EcpKeyExchange, the
// fallback) also runs OpenSSL's EC_KEY_check_key on every imported peer key,
// a third multiplication by the group order, which RFC 6989 does not need for
// these cofactor-1 curves. Encodings as in EcpKeyExchange: x‖y in the KE
// payload, the x coordinate as shared secret, both fixed length (RFC 5903 §7).
using System.Security.Cryptography;
using PostureGate.Proposals;
using static PostureGate.Ike.Crypto.KeyExchange.LibCrypto;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal sealed unsafe class NativeEcpKeyExchange : KeyExchange
{
    // Agreement with the platform's implementation proves the encodings match.
    private static readonly Lazy<bool> s_available = new(() => AgreesWith(
        () => new NativeEcpKeyExchange(KeyExchangeMethod.Ecp256, default),
        () => new EcpKeyExchange(EcpGroup.For(KeyExchangeMethod.Ecp256)!, default)));

    private readonly KeyExchangeMethod _method;
    private readonly int _coordinateLength;
    private readonly OwnedHandle _key;
    private readonly byte[] _publicValue;

    /// <param name="privateKey">Empty for a fresh key (the normal case); else the scalar d, big-endian.</param>
    public NativeEcpKeyExchange(KeyExchangeMethod method, ReadOnlySpan<byte> privateKey)
    {
        _method = method;
        _coordinateLength = EcpGroup.CoordinateLengthOf(method);
        var key = EC_KEY_new_by_curve_name(Nid(method));
        if (key == 0)
            throw Failure("EC_KEY_new_by_curve_name");
        _key = new OwnedHandle(key, &EC_KEY_free);
        try
        {
            if (privateKey.IsEmpty)
            {
                if (EC_KEY_generate_key(key) != 1)
                    throw Failure("EC_KEY_generate_key");
            }
            else
            {
                SetPrivateKey(key, privateKey);
            }
            _publicValue = ExportPublicValue(key, _coordinateLength);
        }
        catch
        {
            _key.Dispose();
            throw;
        }
    }

    /// <summary>True when libcrypto loaded and a P-256 key pair could be made with it.</summary>
    public static bool IsAvailable => s_available.Value;

    public override KeyExchangeMethod Method => _method;

    private protected override ReadOnlySpan<byte> PublicValueCore => _publicValue;

    private protected override bool TryComputeSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        var key = _key.DangerousGetHandle();
        var group = EC_KEY_get0_group(key);
        var point = EC_POINT_new(group);
        if (point == 0)
            throw Failure("EC_POINT_new");
        Span<byte> encoded = stackalloc byte[1 + peerPublicValue.Length];
        encoded[0] = PointConversionUncompressed;
        peerPublicValue.CopyTo(encoded[1..]);
        var secret = new byte[_coordinateLength];
        try
        {
            fixed (byte* e = encoded)
            {
                // RFC 6989 §2.3: the point MUST be on the curve. oct2point rejects
                // coordinates ≥ p and points off the curve; the explicit checks
                // keep that true whatever the library version does.
                if (EC_POINT_oct2point(group, point, e, (nuint)encoded.Length, 0) != 1
                    || EC_POINT_is_on_curve(group, point, 0) != 1
                    || EC_POINT_is_at_infinity(group, point) != 0)
                {
                    ERR_clear_error();
                    return false;
                }
            }
            fixed (byte* s = secret)
            {
                if (ECDH_compute_key(s, (nuint)secret.Length, point, key, 0) != secret.Length)
                {
                    ERR_clear_error();
                    CryptographicOperations.ZeroMemory(secret);
                    return false;
                }
            }
            sharedSecret = secret;
            return true;
        }
        finally
        {
            EC_POINT_free(point);
        }
    }

    private protected override void ZeroPrivateKey() => _key.Dispose();

    private static int Nid(KeyExchangeMethod method) => method switch
    {
        // OpenSSL obj_mac.h: NID_X9_62_prime256v1, NID_secp384r1, NID_secp521r1.
        KeyExchangeMethod.Ecp256 => 415,
        KeyExchangeMethod.Ecp384 => 715,
        KeyExchangeMethod.Ecp521 => 716,
        _ => throw new NotSupportedException($"{method} is not an ECP group"),
    };

    private static void SetPrivateKey(nint key, ReadOnlySpan<byte> privateKey)
    {
        var group = EC_KEY_get0_group(key);
        nint d = 0, pub = 0;
        try
        {
            fixed (byte* p = privateKey)
                d = BN_bin2bn(p, privateKey.Length, 0);
            pub = EC_POINT_new(group);
            if (d == 0 || pub == 0
                || EC_POINT_mul(group, pub, d, 0, 0, 0) != 1
                || EC_KEY_set_private_key(key, d) != 1
                || EC_KEY_set_public_key(key, pub) != 1)
                throw Failure("setting the EC private key");
        }
        finally
        {
            if (d != 0) BN_clear_free(d);
            if (pub != 0) EC_POINT_free(pub);
        }
    }

    private static byte[] ExportPublicValue(nint key, int coordinateLength)
    {
        Span<byte> encoded = stackalloc byte[1 + 2 * coordinateLength];
        fixed (byte* e = encoded)
        {
            var written = EC_POINT_point2oct(EC_KEY_get0_group(key), EC_KEY_get0_public_key(key),
                PointConversionUncompressed, e, (nuint)encoded.Length, 0);
            if (written != (nuint)encoded.Length || encoded[0] != PointConversionUncompressed)
                throw Failure("EC_POINT_point2oct");
        }
        return encoded[1..].ToArray();
    }
}
