// RFC 4055 §3.1 RSASSA-PSS-params, as a peer may encode them in an RFC 7427 AlgorithmIdentifier:
//   RSASSA-PSS-params ::= SEQUENCE {
//     hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1Identifier,
//     maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
//     saltLength         [2] INTEGER          DEFAULT 20,
//     trailerField       [3] INTEGER          DEFAULT 1 }
// Read with System.Formats.Asn1. Only what the BCL verifies is accepted: SHA-2, MGF1 with the same
// hash, salt length = hash length (RSASignaturePadding.Pss), trailer 1 — anything else is refused.
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace PostureGate.Ike.Auth;

internal static class RsaPssParameters
{
    private const string Mgf1Oid = "1.2.840.113549.1.1.8";

    /// <summary>The hash of a PSS AlgorithmIdentifier's <paramref name="parameters"/> (DER, the SEQUENCE), or false.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> parameters, out HashAlgorithmName hash)
    {
        hash = default;
        try
        {
            var outer = new AsnReader(parameters, AsnEncodingRules.DER);
            var seq = outer.ReadSequence();
            if (outer.HasData)
                return false;
            // Absent fields take the RFC 4055 defaults: SHA-1, which is refused below.
            string hashOid = "1.3.14.3.2.26", mgfHashOid = "1.3.14.3.2.26";
            var salt = 20;
            var tag0 = new Asn1Tag(TagClass.ContextSpecific, 0, true);
            var tag1 = new Asn1Tag(TagClass.ContextSpecific, 1, true);
            var tag2 = new Asn1Tag(TagClass.ContextSpecific, 2, true);
            var tag3 = new Asn1Tag(TagClass.ContextSpecific, 3, true);
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(tag0))
                hashOid = ReadHashIdentifier(seq.ReadSequence(tag0));
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(tag1))
            {
                var explicitMgf = seq.ReadSequence(tag1);
                var mgf = explicitMgf.ReadSequence();
                if (mgf.ReadObjectIdentifier() != Mgf1Oid)
                    return false;
                mgfHashOid = ReadHashAlgorithm(mgf);
                mgf.ThrowIfNotEmpty();
                explicitMgf.ThrowIfNotEmpty();
            }
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(tag2))
            {
                var s = seq.ReadSequence(tag2);
                if (!s.TryReadInt32(out salt))
                    return false;
                s.ThrowIfNotEmpty();
            }
            if (seq.HasData && seq.PeekTag().HasSameClassAndValue(tag3))
            {
                var t = seq.ReadSequence(tag3);
                if (!t.TryReadInt32(out var trailer) || trailer != 1)
                    return false;
                t.ThrowIfNotEmpty();
            }
            seq.ThrowIfNotEmpty();
            if (hashOid != mgfHashOid)
                return false;
            (hash, var length) = hashOid switch
            {
                "2.16.840.1.101.3.4.2.1" => (HashAlgorithmName.SHA256, 32),
                "2.16.840.1.101.3.4.2.2" => (HashAlgorithmName.SHA384, 48),
                "2.16.840.1.101.3.4.2.3" => (HashAlgorithmName.SHA512, 64),
                _ => (default, -1),
            };
            return length > 0 && salt == length;
        }
        catch (AsnContentException)
        {
            hash = default;
            return false;
        }
    }

    private static string ReadHashIdentifier(AsnReader explicitTag)
    {
        var oid = ReadHashAlgorithm(explicitTag);
        explicitTag.ThrowIfNotEmpty();
        return oid;
    }

    /// <summary>An AlgorithmIdentifier of a hash: OID, then NULL or nothing (RFC 4055 §2.1 allows both).</summary>
    private static string ReadHashAlgorithm(AsnReader reader)
    {
        var alg = reader.ReadSequence();
        var oid = alg.ReadObjectIdentifier();
        if (alg.HasData)
            alg.ReadNull();
        alg.ThrowIfNotEmpty();
        return oid;
    }
}
