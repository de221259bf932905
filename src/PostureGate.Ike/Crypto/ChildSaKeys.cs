// RFC 7296 §2.17 Generating Keying Material for Child SAs:
//   KEYMAT = prf+(SK_d, Ni | Nr)            or, with PFS,
//   KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr)
// "All keys for SAs carrying data from the initiator to the responder are taken
// before SAs going in the reverse direction"; per direction the encryption key
// comes first, then the integrity key. AEAD salts are the last four octets of each
// encryption key's material (RFC 4106 §8.1, RFC 7634 §4).
using System.Security.Cryptography;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto;

/// <summary>The keys of one direction of a CHILD_SA, as the ESP data plane installs them.</summary>
public sealed class ChildSaDirectionKeys
{
    private readonly byte[] _material;
    private readonly int _offset, _keyLength, _saltLength, _integLength;

    internal ChildSaDirectionKeys(byte[] material, int offset, int keyLength, int saltLength, int integLength)
    {
        _material = material;
        _offset = offset;
        _keyLength = keyLength;
        _saltLength = saltLength;
        _integLength = integLength;
    }

    /// <summary>The cipher key without salt.</summary>
    public ReadOnlySpan<byte> EncryptionKey => _material.AsSpan(_offset, _keyLength);

    /// <summary>The 4-octet AEAD salt (empty for CBC).</summary>
    public ReadOnlySpan<byte> Salt => _material.AsSpan(_offset + _keyLength, _saltLength);

    /// <summary>Key followed by salt, the form Linux XFRM's rfc4106(gcm(aes)) and rfc7539esp take.</summary>
    public ReadOnlySpan<byte> EncryptionKeyWithSalt => _material.AsSpan(_offset, _keyLength + _saltLength);

    /// <summary>The HMAC key (empty for AEAD).</summary>
    public ReadOnlySpan<byte> IntegrityKey => _material.AsSpan(_offset + _keyLength + _saltLength, _integLength);

    public override string ToString() => $"ChildSaDirectionKeys({_keyLength}+{_saltLength}+{_integLength} octets hidden)";
}

public sealed class ChildSaKeys : IDisposable
{
    private readonly byte[] _material;

    private ChildSaKeys(CipherSuite suite, byte[] material)
    {
        Suite = suite;
        _material = material;
        var keyLength = KeyLengths.CipherKey(suite.Encryption, suite.KeyBits);
        var saltLength = KeyLengths.Salt(suite.Encryption);
        var integLength = KeyLengths.IntegrityKey(suite);
        var perDirection = keyLength + saltLength + integLength;
        InitiatorToResponder = new ChildSaDirectionKeys(material, 0, keyLength, saltLength, integLength);
        ResponderToInitiator = new ChildSaDirectionKeys(material, perDirection, keyLength, saltLength, integLength);
    }

    /// <summary>The ESP transforms the keys are for.</summary>
    public CipherSuite Suite { get; }

    public ChildSaDirectionKeys InitiatorToResponder { get; }
    public ChildSaDirectionKeys ResponderToInitiator { get; }

    /// <summary>Keys for what this side sends; <paramref name="weInitiatedExchange"/> refers to the CREATE_CHILD_SA / IKE_AUTH exchange.</summary>
    public ChildSaDirectionKeys Outbound(bool weInitiatedExchange) => weInitiatedExchange ? InitiatorToResponder : ResponderToInitiator;

    public ChildSaDirectionKeys Inbound(bool weInitiatedExchange) => weInitiatedExchange ? ResponderToInitiator : InitiatorToResponder;

    /// <summary>KEYMAT octets for one CHILD_SA with <paramref name="suite"/> (both directions).</summary>
    public static int MaterialLength(CipherSuite suite) => 2 * (KeyLengths.EncryptionKeyMaterial(suite) + KeyLengths.IntegrityKey(suite));

    /// <summary>
    /// §2.17 with the IKE SA's PRF and SK_d. <paramref name="pfsSharedSecret"/> is empty unless the
    /// CREATE_CHILD_SA exchange carried KE payloads. Ni and Nr are those of the exchange that created the
    /// CHILD_SA (IKE_SA_INIT's for the first one).
    /// </summary>
    public static ChildSaKeys Derive(Prf prf, ReadOnlySpan<byte> skD, CipherSuite suite, ReadOnlySpan<byte> ni, ReadOnlySpan<byte> nr,
        ReadOnlySpan<byte> pfsSharedSecret = default)
    {
        var seed = new byte[pfsSharedSecret.Length + ni.Length + nr.Length];
        try
        {
            pfsSharedSecret.CopyTo(seed);
            ni.CopyTo(seed.AsSpan(pfsSharedSecret.Length));
            nr.CopyTo(seed.AsSpan(pfsSharedSecret.Length + ni.Length));
            var material = new byte[MaterialLength(suite)];
            prf.Expand(skD, seed, material);
            return new ChildSaKeys(suite, material);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_material);

    public override string ToString() => $"ChildSaKeys({Suite.Encryption}/{Suite.Integrity}, {_material.Length} octets hidden)";
}
