// The signature schemes PostureGate signs and verifies IKE_AUTH with: RFC 7296 §3.8 method 1 (RSA
// PKCS#1 v1.5 over SHA-1), RFC 4754 methods 9/10/11 (ECDSA, r||s), and RFC 7427 method 14 (Digital
// Signature, AlgorithmIdentifier-prefixed: PKCS#1 v1.5 and RSASSA-PSS with SHA-2, ECDSA DER).
using System.Security.Cryptography;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Auth;

public enum SignatureKeyKind
{
    Rsa,
    Ecdsa,
}

/// <summary>
/// One way of signing: the key kind, the hash, the RSA padding, the ECDSA signature encoding and,
/// for Auth Method 14, the AlgorithmIdentifier (RFC 7427 §3) in front of the signature value.
/// </summary>
public sealed record SignatureScheme(
    string Name, AuthMethod Method, SignatureKeyKind Key, HashAlgorithmName Hash,
    bool Pss = false, byte[]? AlgorithmIdentifier = null)
{
    /// <summary>RFC 7296 §3.8 method 1: RSASSA-PKCS1-v1_5; the hash is SHA-1 (RFC 7427 §1 "fixed to SHA-1").</summary>
    public static SignatureScheme RsaSha1Legacy { get; } = new("RSA (method 1)", AuthMethod.RsaDigitalSignature, SignatureKeyKind.Rsa, HashAlgorithmName.SHA1);

    /// <summary>RFC 4754 §3: ECDSA on P-256 with SHA-256, the signature as r||s.</summary>
    public static SignatureScheme EcdsaP256 { get; } = new("ECDSA-256 (method 9)", AuthMethod.EcdsaSha256P256, SignatureKeyKind.Ecdsa, HashAlgorithmName.SHA256);

    /// <summary>RFC 4754 §3: ECDSA on P-384 with SHA-384.</summary>
    public static SignatureScheme EcdsaP384 { get; } = new("ECDSA-384 (method 10)", AuthMethod.EcdsaSha384P384, SignatureKeyKind.Ecdsa, HashAlgorithmName.SHA384);

    /// <summary>RFC 4754 §3: ECDSA on P-521 with SHA-512.</summary>
    public static SignatureScheme EcdsaP521 { get; } = new("ECDSA-521 (method 11)", AuthMethod.EcdsaSha512P521, SignatureKeyKind.Ecdsa, HashAlgorithmName.SHA512);

    public static SignatureScheme RsaSha256 { get; } = Digital("sha256WithRSAEncryption", SignatureKeyKind.Rsa, HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.Sha256WithRsa);
    public static SignatureScheme RsaSha384 { get; } = Digital("sha384WithRSAEncryption", SignatureKeyKind.Rsa, HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.Sha384WithRsa);
    public static SignatureScheme RsaSha512 { get; } = Digital("sha512WithRSAEncryption", SignatureKeyKind.Rsa, HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.Sha512WithRsa);
    public static SignatureScheme RsaPssSha256 { get; } = Digital("RSASSA-PSS SHA-256", SignatureKeyKind.Rsa, HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.RsaPssSha256, pss: true);
    public static SignatureScheme EcdsaSha256 { get; } = Digital("ecdsa-with-SHA256", SignatureKeyKind.Ecdsa, HashAlgorithmName.SHA256, SignatureAlgorithmIdentifiers.EcdsaWithSha256);
    public static SignatureScheme EcdsaSha384 { get; } = Digital("ecdsa-with-SHA384", SignatureKeyKind.Ecdsa, HashAlgorithmName.SHA384, SignatureAlgorithmIdentifiers.EcdsaWithSha384);
    public static SignatureScheme EcdsaSha512 { get; } = Digital("ecdsa-with-SHA512", SignatureKeyKind.Ecdsa, HashAlgorithmName.SHA512, SignatureAlgorithmIdentifiers.EcdsaWithSha512);

    /// <summary>The method-14 schemes recognised by their exact RFC 7427 Appendix A encoding.</summary>
    internal static IReadOnlyList<SignatureScheme> FixedDigital { get; } =
        [RsaSha256, RsaSha384, RsaSha512, RsaPssSha256, EcdsaSha256, EcdsaSha384, EcdsaSha512];

    /// <summary>RFC 7427 §4: the hash algorithm number this scheme's hash has in SIGNATURE_HASH_ALGORITHMS.</summary>
    public SignatureHashAlgorithm HashNumber =>
        Hash == HashAlgorithmName.SHA256 ? SignatureHashAlgorithm.Sha2_256
        : Hash == HashAlgorithmName.SHA384 ? SignatureHashAlgorithm.Sha2_384
        : Hash == HashAlgorithmName.SHA512 ? SignatureHashAlgorithm.Sha2_512
        : SignatureHashAlgorithm.Sha1;

    /// <summary>The legacy (non-method-14) scheme for an ECDSA key of <paramref name="keySize"/> bits, RFC 4754 §3.</summary>
    public static SignatureScheme? EcdsaLegacy(int keySize) => keySize switch
    {
        256 => EcdsaP256,
        384 => EcdsaP384,
        521 => EcdsaP521,
        _ => null,
    };

    /// <summary>RFC 4754 fixes the curve with the method; the key must be on it.</summary>
    public int? RequiredCurveBits => Method switch
    {
        AuthMethod.EcdsaSha256P256 => 256,
        AuthMethod.EcdsaSha384P384 => 384,
        AuthMethod.EcdsaSha512P521 => 521,
        _ => null,
    };

    /// <summary>RFC 4754 §7 signs r||s; RFC 7427 with ecdsa-with-SHA* carries the DER Ecdsa-Sig-Value (RFC 3279 §2.2.3).</summary>
    public DSASignatureFormat EcdsaFormat => Method == AuthMethod.DigitalSignature
        ? DSASignatureFormat.Rfc3279DerSequence
        : DSASignatureFormat.IeeeP1363FixedFieldConcatenation;

    public RSASignaturePadding RsaPadding => Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    public override string ToString() => Name;

    private static SignatureScheme Digital(string name, SignatureKeyKind key, HashAlgorithmName hash, ReadOnlySpan<byte> algorithmIdentifier, bool pss = false) =>
        new(name, AuthMethod.DigitalSignature, key, hash, pss, algorithmIdentifier.ToArray());
}
