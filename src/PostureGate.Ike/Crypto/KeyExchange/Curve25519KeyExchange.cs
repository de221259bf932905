// RFC 8031 Curve25519 for IKEv2 (group 31) with RFC 7748 X25519 from
// BouncyCastle: the fallback when libcrypto is missing
// (NativeCurve25519KeyExchange). Public value and shared secret are the 32-byte little-endian
// u-coordinates (RFC 8031 §3.1, RFC 7748 §5). RFC 8031 §2 / RFC 7748 §6.1: the
// result MUST be checked for all zeros, which a low-order peer point gives.
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal sealed class Curve25519KeyExchange : KeyExchange
{
    public const int KeyLength = 32;

    private readonly byte[] _privateKey = new byte[KeyLength];
    private readonly byte[] _publicValue = new byte[KeyLength];

    /// <param name="privateKey">Empty for a fresh key (the normal case); else the 32-byte scalar.</param>
    public Curve25519KeyExchange(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.IsEmpty)
            RandomNumberGenerator.Fill(_privateKey);
        else if (privateKey.Length == KeyLength)
            privateKey.CopyTo(_privateKey);
        else
            throw new ArgumentException("an X25519 private key is 32 bytes", nameof(privateKey));
        // Clamping (RFC 7748 §5 decodeScalar25519) happens inside the scalar multiplication.
        X25519.GeneratePublicKey(_privateKey, 0, _publicValue, 0);
    }

    public override KeyExchangeMethod Method => KeyExchangeMethod.Curve25519;

    private protected override ReadOnlySpan<byte> PublicValueCore => _publicValue;

    private protected override bool TryComputeSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        var peer = peerPublicValue.ToArray();
        var result = new byte[KeyLength];
        // CalculateAgreement returns false for the all-zero result (RFC 7748 §6.1).
        if (!X25519.CalculateAgreement(_privateKey, 0, peer, 0, result, 0))
        {
            CryptographicOperations.ZeroMemory(result);
            sharedSecret = [];
            return false;
        }
        sharedSecret = result;
        return true;
    }

    private protected override void ZeroPrivateKey() => CryptographicOperations.ZeroMemory(_privateKey);
}
