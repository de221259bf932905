// RFC 5903 §3: the NIST curves P-256, P-384, P-521 as IKE groups 19, 20, 21.
// The curve constants (p, a = -3, b) are read once from the platform's own
// explicit parameters rather than typed in, and used for the RFC 6989 §2.3
// point check, done here before the peer point reaches OpenSSL so that a bad
// point is a cheap "false" instead of an exception.
using System.Numerics;
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal sealed class EcpGroup
{
    private static readonly Lazy<EcpGroup> s_p256 = new(() => new(KeyExchangeMethod.Ecp256, ECCurve.NamedCurves.nistP256, 32));
    private static readonly Lazy<EcpGroup> s_p384 = new(() => new(KeyExchangeMethod.Ecp384, ECCurve.NamedCurves.nistP384, 48));
    private static readonly Lazy<EcpGroup> s_p521 = new(() => new(KeyExchangeMethod.Ecp521, ECCurve.NamedCurves.nistP521, 66));

    private readonly BigInteger _p;
    private readonly BigInteger _a;
    private readonly BigInteger _b;

    private EcpGroup(KeyExchangeMethod method, ECCurve curve, int coordinateLength)
    {
        Method = method;
        Curve = curve;
        CoordinateLength = coordinateLength;
        using var ecdh = ECDiffieHellman.Create(curve);
        var explicitCurve = ecdh.ExportExplicitParameters(includePrivateParameters: false).Curve;
        _p = new BigInteger(explicitCurve.Prime, isUnsigned: true, isBigEndian: true);
        _a = new BigInteger(explicitCurve.A, isUnsigned: true, isBigEndian: true);
        _b = new BigInteger(explicitCurve.B, isUnsigned: true, isBigEndian: true);
    }

    public KeyExchangeMethod Method { get; }

    public ECCurve Curve { get; }

    /// <summary>Bytes per coordinate (RFC 5903 §7: ceil(bits/8)); also the shared secret's length.</summary>
    public int CoordinateLength { get; }

    /// <summary>Only the lengths; building the curve constants waits until a key is made.</summary>
    public static int CoordinateLengthOf(KeyExchangeMethod method) => method switch
    {
        KeyExchangeMethod.Ecp256 => 32,
        KeyExchangeMethod.Ecp384 => 48,
        KeyExchangeMethod.Ecp521 => 66,
        _ => 0,
    };

    public static EcpGroup? For(KeyExchangeMethod method) => method switch
    {
        KeyExchangeMethod.Ecp256 => s_p256.Value,
        KeyExchangeMethod.Ecp384 => s_p384.Value,
        KeyExchangeMethod.Ecp521 => s_p521.Value,
        _ => null,
    };

    /// <summary>
    /// RFC 6989 §2.3 (and SP 800-56A §5.6.2.3.4 partial validation): x and y are
    /// in [0, p-1] and y² = x³ + ax + b (mod p). The point at infinity has no
    /// encoding in RFC 5903 §7, and (0, 0) is not on these curves (b ≠ 0), so it
    /// fails here too. The order check is unnecessary: the cofactor is 1.
    /// </summary>
    public bool IsOnCurve(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        if (bx >= _p || by >= _p)
            return false;
        var left = by * by % _p;
        var right = ((bx * bx % _p * bx) + (_a * bx) + _b) % _p;
        return left == right;
    }
}
