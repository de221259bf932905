// The FortiOS proposal names of `config vpn ipsec phase1-interface` /
// `phase2-interface` (`set proposal aes128-sha256 …`) and `set dhgrp`, mapped
// to IANA transforms. This is the one table: the configuration checks accept
// exactly these names and the IKE and ESP layers negotiate exactly these suites.
//
// Naming as FortiOS prints it (seen in the FortiOS CLI reference and the seed
// document): phase 1 "<cipher>-<hash>" for CBC ciphers, where the hash is both
// the integrity and the PRF algorithm, and "<aead>-prf<hash>" for AEAD ciphers;
// phase 2 "<cipher>-<hash>" for CBC and the bare AEAD name.
using System.Collections.Frozen;

namespace PostureGate.Proposals;

public static class FortiOsProposals
{
    private static readonly (string Name, IntegrityAlgorithm Integ, PrfAlgorithm Prf)[] Hashes =
    [
        ("sha1", IntegrityAlgorithm.HmacSha1_96, PrfAlgorithm.HmacSha1),
        ("sha256", IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_256),
        ("sha384", IntegrityAlgorithm.HmacSha2_384_192, PrfAlgorithm.HmacSha2_384),
        ("sha512", IntegrityAlgorithm.HmacSha2_512_256, PrfAlgorithm.HmacSha2_512),
    ];

    private static readonly (string Name, EncryptionAlgorithm Encr, int Bits)[] CbcCiphers =
    [
        ("aes128", EncryptionAlgorithm.AesCbc, 128),
        ("aes192", EncryptionAlgorithm.AesCbc, 192),
        ("aes256", EncryptionAlgorithm.AesCbc, 256),
    ];

    private static readonly (string Name, EncryptionAlgorithm Encr, int Bits)[] AeadCiphers =
    [
        ("aes128gcm", EncryptionAlgorithm.AesGcm16, 128),
        ("aes256gcm", EncryptionAlgorithm.AesGcm16, 256),
        ("chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, 256),
    ];

    /// <summary>Phase 1 (IKE SA) suites by FortiOS name, in a stable documented order.</summary>
    public static IReadOnlyList<CipherSuite> Phase1 { get; } = BuildPhase1();

    /// <summary>Phase 2 (ESP CHILD_SA) suites by FortiOS name.</summary>
    public static IReadOnlyList<CipherSuite> Phase2 { get; } = BuildPhase2();

    private static readonly FrozenDictionary<string, CipherSuite> Phase1ByName =
        Phase1.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, CipherSuite> Phase2ByName =
        Phase2.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>The Diffie-Hellman groups that `set dhgrp` accepts and the IKE layer implements.</summary>
    public static IReadOnlyList<KeyExchangeMethod> DhGroups { get; } =
    [
        KeyExchangeMethod.Modp2048, KeyExchangeMethod.Modp3072, KeyExchangeMethod.Modp4096,
        KeyExchangeMethod.Ecp256, KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521,
        KeyExchangeMethod.Curve25519,
    ];

    public static bool TryGetPhase1(string name, out CipherSuite suite) => Phase1ByName.TryGetValue(name, out suite);

    public static bool TryGetPhase2(string name, out CipherSuite suite) => Phase2ByName.TryGetValue(name, out suite);

    /// <summary>Parses a `set dhgrp` word ("14", "20", "31" …) into a supported group.</summary>
    public static bool TryGetDhGroup(string word, out KeyExchangeMethod group)
    {
        group = KeyExchangeMethod.None;
        if (!ushort.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            return false;
        foreach (var g in DhGroups)
        {
            if ((ushort)g == n)
            {
                group = g;
                return true;
            }
        }
        return false;
    }

    /// <summary>A short human name for a group, as strongSwan's proposal strings spell it.</summary>
    public static string DhGroupName(KeyExchangeMethod group) => group switch
    {
        KeyExchangeMethod.Modp2048 => "modp2048",
        KeyExchangeMethod.Modp3072 => "modp3072",
        KeyExchangeMethod.Modp4096 => "modp4096",
        KeyExchangeMethod.Ecp256 => "ecp256",
        KeyExchangeMethod.Ecp384 => "ecp384",
        KeyExchangeMethod.Ecp521 => "ecp521",
        KeyExchangeMethod.Curve25519 => "curve25519",
        _ => ((ushort)group).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static List<CipherSuite> BuildPhase1()
    {
        var list = new List<CipherSuite>();
        foreach (var c in CbcCiphers)
            foreach (var h in Hashes)
                list.Add(new CipherSuite($"{c.Name}-{h.Name}", c.Encr, c.Bits, h.Integ, h.Prf));
        foreach (var c in AeadCiphers)
            foreach (var h in Hashes)
                list.Add(new CipherSuite($"{c.Name}-prf{h.Name}", c.Encr, c.Bits, IntegrityAlgorithm.None, h.Prf));
        return list;
    }

    private static List<CipherSuite> BuildPhase2()
    {
        var list = new List<CipherSuite>();
        foreach (var c in CbcCiphers)
            foreach (var h in Hashes)
                list.Add(new CipherSuite($"{c.Name}-{h.Name}", c.Encr, c.Bits, h.Integ, PrfAlgorithm.None));
        foreach (var c in AeadCiphers)
            list.Add(new CipherSuite(c.Name, c.Encr, c.Bits, IntegrityAlgorithm.None, PrfAlgorithm.None));
        return list;
    }
}
