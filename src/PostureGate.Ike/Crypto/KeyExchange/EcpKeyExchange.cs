// RFC 5903 ECP groups 19, 20, 21 through the platform's ECDiffieHellman
// (OpenSSL underneath on Linux). KE payload data is x‖y, each coordinate
// left-padded to ceil(bits/8) bytes (RFC 5903 §7, no 0x04 prefix); the shared
// secret is the x coordinate of the product point only, same fixed length.
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal sealed class EcpKeyExchange : KeyExchange
{
    private readonly EcpGroup _group;
    private readonly ECDiffieHellman _ecdh;
    private readonly byte[] _publicValue;

    /// <param name="privateKey">Empty for a fresh key (the normal case); else the scalar d, big-endian.</param>
    public EcpKeyExchange(EcpGroup group, ReadOnlySpan<byte> privateKey)
    {
        _group = group;
        if (privateKey.IsEmpty)
        {
            _ecdh = ECDiffieHellman.Create(group.Curve);
        }
        else
        {
            var d = new byte[group.CoordinateLength];
            privateKey.CopyTo(d.AsSpan(d.Length - privateKey.Length));
            try
            {
                // Without Q the platform derives the public point from d.
                _ecdh = ECDiffieHellman.Create(new ECParameters { Curve = group.Curve, D = d });
            }
            finally
            {
                CryptographicOperations.ZeroMemory(d);
            }
        }
        var q = _ecdh.ExportParameters(includePrivateParameters: false).Q;
        _publicValue = new byte[2 * group.CoordinateLength];
        q.X!.CopyTo(_publicValue, group.CoordinateLength - q.X!.Length);
        q.Y!.CopyTo(_publicValue, _publicValue.Length - q.Y!.Length);
    }

    public override KeyExchangeMethod Method => _group.Method;

    private protected override ReadOnlySpan<byte> PublicValueCore => _publicValue;

    private protected override bool TryComputeSharedSecretCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        var x = peerPublicValue[.._group.CoordinateLength];
        var y = peerPublicValue[_group.CoordinateLength..];
        // RFC 6989 §2.3: the peer's point MUST be checked to be on the curve.
        if (!_group.IsOnCurve(x, y))
            return false;
        try
        {
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = _group.Curve,
                Q = new ECPoint { X = x.ToArray(), Y = y.ToArray() },
            });
            using var peerKey = peer.PublicKey;
            // The raw agreement is the x coordinate, fixed length (RFC 5903 §7).
            sharedSecret = _ecdh.DeriveRawSecretAgreement(peerKey);
            return sharedSecret.Length == _group.CoordinateLength;
        }
        catch (CryptographicException)
        {
            // OpenSSL's own validation disagreeing with ours: still a bad peer value.
            return false;
        }
    }

    private protected override void ZeroPrivateKey() => _ecdh.Dispose();
}
