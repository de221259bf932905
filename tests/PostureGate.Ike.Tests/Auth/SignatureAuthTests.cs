using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Auth;

public class SignatureAuthTests
{
    private static readonly byte[] Octets = [.. "RealMessage2 | NonceIData | prf(SK_pr, IDr')"u8];
    private static readonly SignatureHashAlgorithm[] Sha2 = [.. SignatureHashAlgorithms.Supported];

    private static X509Certificate2 Signer(AsymmetricAlgorithm key) =>
        TestPki.Issue(TestPki.Ca("Sig CA"), new TestPki.Leaf(), key);

    public static TheoryData<string> Schemes => new()
    {
        "rsa-legacy", "rsa-sha256", "rsa-sha384", "rsa-sha512", "rsa-pss",
        "p256-legacy", "p384-legacy", "p521-legacy", "p256-digital", "p384-digital", "p521-digital",
    };

    private static (AsymmetricAlgorithm Key, SignatureScheme Scheme) Case(string name) => name switch
    {
        "rsa-legacy" => (RSA.Create(2048), SignatureScheme.RsaSha1Legacy),
        "rsa-sha256" => (RSA.Create(2048), SignatureScheme.RsaSha256),
        "rsa-sha384" => (RSA.Create(2048), SignatureScheme.RsaSha384),
        "rsa-sha512" => (RSA.Create(2048), SignatureScheme.RsaSha512),
        "rsa-pss" => (RSA.Create(2048), SignatureScheme.RsaPssSha256),
        "p256-legacy" => (ECDsa.Create(ECCurve.NamedCurves.nistP256), SignatureScheme.EcdsaP256),
        "p384-legacy" => (ECDsa.Create(ECCurve.NamedCurves.nistP384), SignatureScheme.EcdsaP384),
        "p521-legacy" => (ECDsa.Create(ECCurve.NamedCurves.nistP521), SignatureScheme.EcdsaP521),
        "p256-digital" => (ECDsa.Create(ECCurve.NamedCurves.nistP256), SignatureScheme.EcdsaSha256),
        "p384-digital" => (ECDsa.Create(ECCurve.NamedCurves.nistP384), SignatureScheme.EcdsaSha384),
        _ => (ECDsa.Create(ECCurve.NamedCurves.nistP521), SignatureScheme.EcdsaSha512),
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void SignThenVerify_AndAnyChangedOctetFails(string name)
    {
        var (key, scheme) = Case(name);
        var cert = Signer(key);
        var auth = SignatureAuth.Sign(key, scheme, Octets);

        Assert.Equal(scheme.Method, auth.Method);
        Assert.True(SignatureAuth.Verify(auth, cert, Octets, out var reason), reason);
        byte[] changed = [.. Octets];
        changed[^1] ^= 1;
        Assert.False(SignatureAuth.Verify(auth, cert, changed, out _));
        Assert.False(SignatureAuth.Verify(auth, Signer(Case(name).Key), Octets, out _));
    }

    // RFC 7427 §3: ASN.1 Length, AlgorithmIdentifier, then a signature the BCL verifies on its own.
    [Fact]
    public void DigitalSignature_Layout_IsLengthThenAlgorithmIdentifierThenSignature()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var data = SignatureAuth.Sign(ec, SignatureScheme.EcdsaSha256, Octets).Data;

        var algorithmIdentifier = data.AsSpan(1, data[0]);
        Assert.Equal(EncodeAlgorithmIdentifier("1.2.840.10045.4.3.2", withNull: false), algorithmIdentifier.ToArray());
        Assert.True(ec.VerifyData(Octets, data.AsSpan(1 + data[0]), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    // RFC 4754 §7: r||s, each the curve's length.
    [Fact]
    public void EcdsaLegacy_IsFixedWidthRAndS()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var auth = SignatureAuth.Sign(ec, SignatureScheme.EcdsaP384, Octets);
        Assert.Equal(96, auth.Data.Length);
        Assert.True(ec.VerifyData(Octets, auth.Data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    // The Appendix A constants, against the same AlgorithmIdentifiers written by the BCL's DER writer.
    [Fact]
    public void AppendixAConstants_AreTheDerOfTheirOids()
    {
        Assert.Equal(EncodeAlgorithmIdentifier("1.2.840.113549.1.1.11", true), SignatureScheme.RsaSha256.AlgorithmIdentifier);
        Assert.Equal(EncodeAlgorithmIdentifier("1.2.840.113549.1.1.12", true), SignatureScheme.RsaSha384.AlgorithmIdentifier);
        Assert.Equal(EncodeAlgorithmIdentifier("1.2.840.113549.1.1.13", true), SignatureScheme.RsaSha512.AlgorithmIdentifier);
        Assert.Equal(EncodeAlgorithmIdentifier("1.2.840.10045.4.3.3", false), SignatureScheme.EcdsaSha384.AlgorithmIdentifier);
        Assert.Equal(EncodeAlgorithmIdentifier("1.2.840.10045.4.3.4", false), SignatureScheme.EcdsaSha512.AlgorithmIdentifier);
        Assert.Equal(EncodePss("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.1", 32, trailer: true), SignatureScheme.RsaPssSha256.AlgorithmIdentifier);
    }

    // A peer may encode PSS parameters its own way (strongSwan omits the trailer field): read, not compared.
    [Theory]
    [InlineData("2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.2", 48, true)]
    [InlineData("2.16.840.1.101.3.4.2.3", "2.16.840.1.101.3.4.2.3", 64, true)]
    [InlineData("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.1", 32, true)] // trailer field absent: its default 1
    [InlineData("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.1", 20, false)] // salt not the hash length
    [InlineData("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.3", 32, false)] // MGF1 hash differs
    [InlineData("1.3.14.3.2.26", "1.3.14.3.2.26", 20, false)] // SHA-1
    public void PssParameters_OnlyWhatTheBclVerifiesIsAccepted(string hashOid, string mgfOid, int salt, bool accepted)
    {
        using var rsa = RSA.Create(2048);
        var hash = hashOid switch
        {
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA1,
        };
        var id = EncodePss(hashOid, mgfOid, salt, trailer: false);
        var auth = new AuthPayload(AuthMethod.DigitalSignature, [(byte)id.Length, .. id, .. rsa.SignData(Octets, hash, RSASignaturePadding.Pss)]);

        Assert.Equal(accepted, SignatureAuth.Verify(auth, Signer(rsa), Octets, out _));
    }

    [Fact]
    public void UnknownAlgorithmIdentifier_IsRefusedWithAReason()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = EncodeAlgorithmIdentifier("1.3.101.112", false); // Ed25519: not offered
        var auth = new AuthPayload(AuthMethod.DigitalSignature, [(byte)id.Length, .. id, 1, 2, 3]);
        Assert.False(SignatureAuth.Verify(auth, Signer(ec), Octets, out var reason));
        Assert.Contains("unsupported signature algorithm", reason);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 12 })]
    [InlineData(new byte[] { 12, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 })] // no signature after it
    [InlineData(new byte[] { 5, 0x30, 0x80, 0x06, 0x08, 0x2a, 0x01 })] // indefinite length: not DER
    public void MalformedDigitalSignature_IsRefused(byte[] data)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(SignatureAuth.Verify(new AuthPayload(AuthMethod.DigitalSignature, data), Signer(ec), Octets, out _));
    }

    [Fact]
    public void GarbageSignatureValue_IsFalseNotAnException()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = SignatureScheme.EcdsaSha256.AlgorithmIdentifier!;
        var auth = new AuthPayload(AuthMethod.DigitalSignature, [(byte)id.Length, .. id, 0x30, 0x03, 0x02, 0x01]);
        Assert.False(SignatureAuth.Verify(auth, Signer(ec), Octets, out _));
    }

    // RFC 4754: the method names the curve; a P-384 key signing under method 9 is refused.
    [Fact]
    public void EcdsaMethod_OnAnotherCurve_IsRefused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var auth = new AuthPayload(AuthMethod.EcdsaSha256P256, ec.SignData(Octets, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.False(SignatureAuth.Verify(auth, Signer(ec), Octets, out var reason));
        Assert.Contains("384-bit", reason);
    }

    [Fact]
    public void RsaSignature_FromAnEcdsaCertificate_IsRefused()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(SignatureAuth.Verify(SignatureAuth.Sign(rsa, SignatureScheme.RsaSha256, Octets), Signer(ec), Octets, out var reason));
        Assert.Contains("without an RSA key", reason);
    }

    [Theory]
    [InlineData(AuthMethod.SharedKeyMic)]
    [InlineData(AuthMethod.Null)]
    [InlineData(AuthMethod.DssDigitalSignature)]
    public void NonSignatureMethods_AreRefused(AuthMethod method)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(SignatureAuth.Verify(new AuthPayload(method, new byte[32]), Signer(ec), Octets, out _));
    }

    // RFC 7427 §4: method 14 only to a peer that announced SIGNATURE_HASH_ALGORITHMS.
    [Fact]
    public void Choose_FollowsThePeersAnnouncement()
    {
        using var rsa = RSA.Create(2048);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Same(SignatureScheme.RsaSha256, SignatureAuth.Choose(rsa, Sha2));
        Assert.Same(SignatureScheme.RsaPssSha256, SignatureAuth.Choose(rsa, Sha2, preferPss: true));
        Assert.Same(SignatureScheme.RsaSha512, SignatureAuth.Choose(rsa, [SignatureHashAlgorithm.Sha2_512]));
        Assert.Same(SignatureScheme.RsaSha1Legacy, SignatureAuth.Choose(rsa, []));
        Assert.Same(SignatureScheme.EcdsaSha256, SignatureAuth.Choose(p256, Sha2));
        Assert.Same(SignatureScheme.EcdsaSha384, SignatureAuth.Choose(p384, Sha2));
        Assert.Same(SignatureScheme.EcdsaP384, SignatureAuth.Choose(p384, []));
        Assert.Same(SignatureScheme.EcdsaP256, SignatureAuth.Choose(p256, [SignatureHashAlgorithm.Sha1]));
        Assert.Same(SignatureScheme.RsaSha1Legacy, SignatureAuth.Choose(rsa, [SignatureHashAlgorithm.Identity]));
    }

    private static byte[] EncodeAlgorithmIdentifier(string oid, bool withNull)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            if (withNull)
                w.WriteNull();
        }
        return w.Encode();
    }

    private static byte[] EncodePss(string hashOid, string mgfHashOid, int salt, bool trailer)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier("1.2.840.113549.1.1.10");
            using (w.PushSequence())
            {
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    w.WriteEncodedValue(EncodeAlgorithmIdentifier(hashOid, true));
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                    w.WriteEncodedValue(EncodeAlgorithmIdentifier(mgfHashOid, true));
                }
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                    w.WriteInteger(salt);
                if (trailer)
                {
                    using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
                        w.WriteInteger(1);
                }
            }
        }
        return w.Encode();
    }
}
