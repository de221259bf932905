// The Diffie-Hellman side of IKE_SA_INIT and CREATE_CHILD_SA: one ephemeral key
// pair per instance, the public value for the KE payload (RFC 7296 §3.4) and the
// shared secret g^ir. Groups: 14/15/16 MODP (RFC 3526), 19/20/21 ECP (RFC 5903),
// 31 Curve25519 (RFC 8031). Peer values are checked as RFC 6989 requires; a bad
// one makes TryComputeSharedSecret return false (the caller answers
// INVALID_SYNTAX / NO_PROPOSAL_CHOSEN), it never throws.
// Each group runs on the system's libcrypto when it loads (LibCrypto.cs, the
// one native seam) and on managed code otherwise: BigInteger for MODP, the
// platform's ECDiffieHellman for ECP, BouncyCastle for X25519.
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto.KeyExchange;

/// <summary>An ephemeral Diffie-Hellman key pair for one IKE or Child SA negotiation.</summary>
public abstract class KeyExchange : IDisposable
{
    private bool _disposed;

    private protected KeyExchange()
    {
    }

    /// <summary>A fresh key pair for <paramref name="method"/>.</summary>
    /// <exception cref="NotSupportedException">The group is not one of 14, 15, 16, 19, 20, 21, 31.</exception>
    public static KeyExchange Create(KeyExchangeMethod method) => method switch
    {
        KeyExchangeMethod.Modp2048 or KeyExchangeMethod.Modp3072 or KeyExchangeMethod.Modp4096
            => new ModpKeyExchange(ModpGroup.For(method)!, privateExponent: default),
        KeyExchangeMethod.Ecp256 or KeyExchangeMethod.Ecp384 or KeyExchangeMethod.Ecp521
            => NativeEcpKeyExchange.IsAvailable
                ? new NativeEcpKeyExchange(method, privateKey: default)
                : new EcpKeyExchange(EcpGroup.For(method)!, privateKey: default),
        KeyExchangeMethod.Curve25519 => NativeCurve25519KeyExchange.IsAvailable
            ? new NativeCurve25519KeyExchange(privateKey: default)
            : new Curve25519KeyExchange(privateKey: default),
        _ => throw new NotSupportedException($"key exchange method {(ushort)method} is not supported"),
    };

    /// <summary>
    /// Test hook for known-answer tests: the key pair for a given private key
    /// (MODP exponent, ECP scalar, X25519 scalar; big-endian except X25519, RFC 7748 §5).
    /// </summary>
    internal static KeyExchange CreateFromPrivateKey(KeyExchangeMethod method, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.IsEmpty)
            throw new ArgumentException("private key required", nameof(privateKey));
        return method switch
        {
            KeyExchangeMethod.Modp2048 or KeyExchangeMethod.Modp3072 or KeyExchangeMethod.Modp4096
                => new ModpKeyExchange(ModpGroup.For(method)!, privateKey),
            KeyExchangeMethod.Ecp256 or KeyExchangeMethod.Ecp384 or KeyExchangeMethod.Ecp521
                => NativeEcpKeyExchange.IsAvailable
                    ? new NativeEcpKeyExchange(method, privateKey)
                    : new EcpKeyExchange(EcpGroup.For(method)!, privateKey),
            KeyExchangeMethod.Curve25519 => NativeCurve25519KeyExchange.IsAvailable
                ? new NativeCurve25519KeyExchange(privateKey)
                : new Curve25519KeyExchange(privateKey),
            _ => throw new NotSupportedException($"key exchange method {(ushort)method} is not supported"),
        };
    }

    public static bool IsSupported(KeyExchangeMethod method) => PublicValueLength(method) > 0;

    /// <summary>
    /// Bytes of Key Exchange Data in a KE payload: the prime's length for MODP
    /// (RFC 7296 §3.4), x‖y for ECP (RFC 5903 §7), 32 for Curve25519 (RFC 8031 §3.1);
    /// 0 for an unsupported method.
    /// </summary>
    public static int PublicValueLength(KeyExchangeMethod method) => method switch
    {
        KeyExchangeMethod.Modp2048 or KeyExchangeMethod.Modp3072 or KeyExchangeMethod.Modp4096
            => ModpGroup.For(method)!.Length,
        KeyExchangeMethod.Ecp256 or KeyExchangeMethod.Ecp384 or KeyExchangeMethod.Ecp521
            => 2 * EcpGroup.CoordinateLengthOf(method),
        KeyExchangeMethod.Curve25519 => Curve25519KeyExchange.KeyLength,
        _ => 0,
    };

    public abstract KeyExchangeMethod Method { get; }

    /// <summary>Our public value, encoded for the KE payload.</summary>
    public ReadOnlySpan<byte> PublicValue
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return PublicValueCore;
        }
    }

    private protected abstract ReadOnlySpan<byte> PublicValueCore { get; }

    /// <summary>
    /// The shared secret with a peer's KE payload data: MODP g^ir padded to the
    /// prime's length, ECP the x coordinate (RFC 5903 §7), X25519 the 32-byte result.
    /// False when the peer's value fails the RFC 6989 checks.
    /// </summary>
    public bool TryComputeSharedSecret(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        sharedSecret = [];
        if (peerPublicValue.Length != PublicValueLength(Method))
            return false;
        return TryComputeSharedSecretCore(peerPublicValue, out sharedSecret);
    }

    /// <summary>Called with a peer value of the right length only.</summary>
    private protected abstract bool TryComputeSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret);

    /// <summary>Zeroes the private key.</summary>
    private protected abstract void ZeroPrivateKey();

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        ZeroPrivateKey();
        GC.SuppressFinalize(this);
    }
}
