// RFC 7296 §2.15 authentication by signature: the signer signs the same octets a shared key would
// MAC (InitiatorSignedOctets / ResponderSignedOctets, built by SharedKeyAuth.SignedOctets) with the
// private key of the certificate it sends. Methods: 1 (RFC 7296 §3.8), 9/10/11 (RFC 4754 §3, §7),
// 14 (RFC 7427 §3):
//   +-+-+-+-+-+-+-+-+
//   | ASN.1 Length  |  AlgorithmIdentifier (DER) ...  | Signature Value ...
//   +-+-+-+-+-+-+-+-+
// A peer's AUTH is attacker input: every failure is a false with a reason, never an exception.
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Auth;

public static class SignatureAuth
{
    /// <summary>
    /// The scheme to sign with: Digital Signature (RFC 7427) when the peer announced SIGNATURE_HASH_ALGORITHMS
    /// with a hash we sign with (§4: method 14 only then), else the key's legacy method (RFC 7296 §3.8, RFC 4754).
    /// Null only for a key no method covers (an ECDSA curve other than P-256/384/521, DSA).
    /// ECDSA hashes follow the curve as RFC 4754 pairs them; RSA uses PKCS#1 v1.5 unless <paramref name="preferPss"/>.
    /// </summary>
    public static SignatureScheme? Choose(AsymmetricAlgorithm key, IReadOnlyCollection<SignatureHashAlgorithm> peerHashes, bool preferPss = false)
    {
        switch (key)
        {
            case RSA:
                if (preferPss && peerHashes.Contains(SignatureHashAlgorithm.Sha2_256))
                    return SignatureScheme.RsaPssSha256;
                return FirstAnnounced(peerHashes, SignatureScheme.RsaSha256, SignatureScheme.RsaSha384, SignatureScheme.RsaSha512)
                    ?? SignatureScheme.RsaSha1Legacy;
            case ECDsa ec:
                var byCurve = ec.KeySize switch
                {
                    256 => SignatureScheme.EcdsaSha256,
                    384 => SignatureScheme.EcdsaSha384,
                    521 => SignatureScheme.EcdsaSha512,
                    _ => null,
                };
                if (byCurve is null)
                    return null;
                return FirstAnnounced(peerHashes, byCurve, SignatureScheme.EcdsaSha256, SignatureScheme.EcdsaSha384, SignatureScheme.EcdsaSha512)
                    ?? SignatureScheme.EcdsaLegacy(ec.KeySize);
            default:
                return null;
        }
    }

    /// <summary>The AUTH payload: <paramref name="signedOctets"/> signed with <paramref name="key"/> under <paramref name="scheme"/>.</summary>
    public static AuthPayload Sign(AsymmetricAlgorithm key, SignatureScheme scheme, ReadOnlySpan<byte> signedOctets)
    {
        var signature = (key, scheme.Key) switch
        {
            (RSA rsa, SignatureKeyKind.Rsa) => rsa.SignData(signedOctets.ToArray(), scheme.Hash, scheme.RsaPadding),
            (ECDsa ec, SignatureKeyKind.Ecdsa) => ec.SignData(signedOctets, scheme.Hash, scheme.EcdsaFormat),
            _ => throw new ArgumentException($"a {key.GetType().Name} key cannot sign {scheme}", nameof(key)),
        };
        if (scheme.Method != AuthMethod.DigitalSignature)
            return new AuthPayload(scheme.Method, signature);
        var id = scheme.AlgorithmIdentifier!;
        return new AuthPayload(AuthMethod.DigitalSignature, [(byte)id.Length, .. id, .. signature]);
    }

    /// <summary>
    /// True when <paramref name="auth"/> is a valid signature of <paramref name="signedOctets"/> by the key of
    /// <paramref name="signer"/> (whose chain and identity the caller has already checked).
    /// </summary>
    public static bool Verify(AuthPayload auth, X509Certificate2 signer, ReadOnlySpan<byte> signedOctets, out string reason)
    {
        ReadOnlySpan<byte> signature = auth.Data;
        SignatureScheme? scheme;
        switch (auth.Method)
        {
            case AuthMethod.RsaDigitalSignature:
                scheme = SignatureScheme.RsaSha1Legacy;
                break;
            case AuthMethod.EcdsaSha256P256 or AuthMethod.EcdsaSha384P384 or AuthMethod.EcdsaSha512P521:
                scheme = auth.Method switch
                {
                    AuthMethod.EcdsaSha256P256 => SignatureScheme.EcdsaP256,
                    AuthMethod.EcdsaSha384P384 => SignatureScheme.EcdsaP384,
                    _ => SignatureScheme.EcdsaP521,
                };
                break;
            case AuthMethod.DigitalSignature:
                if (!TryReadDigital(auth.Data, out scheme, out var offset, out reason))
                    return false;
                signature = signature[offset..];
                break;
            default:
                reason = $"auth method {auth.Method} is not a signature";
                return false;
        }
        return VerifyWith(scheme!, signer, signedOctets, signature, out reason);
    }

    /// <summary>RFC 7427 §3: the scheme named by the AlgorithmIdentifier and where the signature value starts.</summary>
    internal static bool TryReadDigital(ReadOnlySpan<byte> data, out SignatureScheme? scheme, out int signatureOffset, out string reason)
    {
        scheme = null;
        signatureOffset = 0;
        if (data.Length < 1 || data[0] == 0 || data.Length <= 1 + data[0])
        {
            reason = "Digital Signature AUTH shorter than its ASN.1 length";
            return false;
        }
        var algorithmIdentifier = data.Slice(1, data[0]);
        signatureOffset = 1 + data[0];
        foreach (var known in SignatureScheme.FixedDigital)
        {
            if (algorithmIdentifier.SequenceEqual(known.AlgorithmIdentifier))
            {
                scheme = known;
                reason = "";
                return true;
            }
        }
        if (TryReadPss(algorithmIdentifier.ToArray(), out var hash))
        {
            scheme = new SignatureScheme($"RSASSA-PSS {hash.Name}", AuthMethod.DigitalSignature, SignatureKeyKind.Rsa, hash, Pss: true,
                AlgorithmIdentifier: algorithmIdentifier.ToArray());
            reason = "";
            return true;
        }
        reason = $"unsupported signature algorithm {Convert.ToHexStringLower(algorithmIdentifier)}";
        return false;
    }

    private static bool TryReadPss(byte[] algorithmIdentifier, out HashAlgorithmName hash)
    {
        hash = default;
        try
        {
            var outer = new AsnReader(algorithmIdentifier, AsnEncodingRules.DER);
            var seq = outer.ReadSequence();
            if (outer.HasData || seq.ReadObjectIdentifier() != SignatureAlgorithmIdentifiers.RsaPssOid || !seq.HasData)
                return false;
            var parameters = seq.ReadEncodedValue();
            return !seq.HasData && RsaPssParameters.TryRead(parameters, out hash);
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static bool VerifyWith(SignatureScheme scheme, X509Certificate2 signer, ReadOnlySpan<byte> signedOctets, ReadOnlySpan<byte> signature, out string reason)
    {
        try
        {
            switch (scheme.Key)
            {
                case SignatureKeyKind.Rsa:
                {
                    using var rsa = signer.GetRSAPublicKey();
                    if (rsa is null)
                        return Refuse($"{scheme} signature from a certificate without an RSA key", out reason);
                    var ok = rsa.VerifyData(signedOctets, signature, scheme.Hash, scheme.RsaPadding);
                    reason = ok ? "" : $"{scheme} signature does not verify";
                    return ok;
                }
                default:
                {
                    using var ec = signer.GetECDsaPublicKey();
                    if (ec is null)
                        return Refuse($"{scheme} signature from a certificate without an ECDSA key", out reason);
                    if (scheme.RequiredCurveBits is { } bits && ec.KeySize != bits)
                        return Refuse($"{scheme} signature from a {ec.KeySize}-bit ECDSA key", out reason);
                    var ok = ec.VerifyData(signedOctets, signature, scheme.Hash, scheme.EcdsaFormat);
                    reason = ok ? "" : $"{scheme} signature does not verify";
                    return ok;
                }
            }
        }
        catch (CryptographicException e)
        {
            // A malformed key or signature encoding from the peer: refused like a bad signature.
            return Refuse($"{scheme} signature unreadable ({e.Message})", out reason);
        }
    }

    private static SignatureScheme? FirstAnnounced(IReadOnlyCollection<SignatureHashAlgorithm> peerHashes, params SignatureScheme[] candidates) =>
        candidates.FirstOrDefault(c => peerHashes.Contains(c.HashNumber));

    private static bool Refuse(string why, out string reason)
    {
        reason = why;
        return false;
    }
}
