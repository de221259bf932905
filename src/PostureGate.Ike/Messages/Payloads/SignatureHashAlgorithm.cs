// RFC 7427 §4 / IANA "IKEv2 Hash Algorithms": the values carried by SIGNATURE_HASH_ALGORITHMS.
namespace PostureGate.Ike.Messages.Payloads;

public enum SignatureHashAlgorithm : ushort
{
    Sha1 = 1,
    Sha2_256 = 2,
    Sha2_384 = 3,
    Sha2_512 = 4,
    /// <summary>RFC 8420: for EdDSA, which hashes internally.</summary>
    Identity = 5,
}
