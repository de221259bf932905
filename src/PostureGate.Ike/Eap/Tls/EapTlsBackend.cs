// The TLS server that EAP-TLS (RFC 5216; RFC 9190 for TLS 1.3) runs, on BouncyCastle's TLS stack.
// Why not SslStream: .NET exposes neither the TLS 1.2 master secret nor the RFC 5705/8446 exporter,
// and the EAP-TLS MSK is derived from exactly those (RFC 5216 §2.3, RFC 9190 §2.3). BouncyCastle's
// TlsServerProtocol runs without a stream (OfferInput / ReadOutput), which is also what lock-step
// EAP needs, and its context gives the PRF and the exporter.
//
// What this class decides: the versions (TLS 1.2 and 1.3), the cipher suites for the gateway key's
// kind (ECDHE with AES-GCM/ChaCha20, TLS 1.2 also AES-CBC-SHA2), that a client certificate is
// required (CertificateRequest naming the trusted CAs), and what a client certificate must satisfy:
// the same PeerCertificateValidator as the IKE certificate round (RFC 5216 §5.3). BouncyCastle checks
// the client's CertificateVerify signature with the certificate's key, the proof of possession.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;
using BcCertificate = Org.BouncyCastle.Tls.Certificate;
using BcCertificateRequest = Org.BouncyCastle.Tls.CertificateRequest;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace PostureGate.Ike.Eap.Tls;

internal sealed class EapTlsBackend : DefaultTlsServer
{
    /// <summary>RFC 5216 §2.3: TLS-PRF-128 for TLS 1.2 (the first 64 octets are the MSK).</summary>
    private const string Tls12Label = "client EAP encryption";

    /// <summary>RFC 9190 §2.3: TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", Type-Code 0x0D, 128).</summary>
    private const string Tls13Label = "EXPORTER_EAP_TLS_Key_Material";

    private const int KeyMaterialLength = 128;
    public const int MskLength = 64;

    private readonly LocalCertificateCredential _credential;
    private readonly AsymmetricKeyParameter _privateKey;
    private readonly bool _ecdsa;
    private readonly PeerCertificatePolicy _policy;
    private readonly Func<IReadOnlyList<CertPayload>, CertificateValidation> _validate;

    public EapTlsBackend(LocalCertificateCredential credential, PeerCertificatePolicy policy,
        Func<IReadOnlyList<CertPayload>, CertificateValidation> validate)
        : base(new BcTlsCrypto(new SecureRandom()))
    {
        _credential = credential;
        _policy = policy;
        _validate = validate;
        (_privateKey, _ecdsa) = Keys.GetValue(credential, c => new BcKey(PrivateKey(c.Certificate, out var ecdsa), ecdsa));
    }

    // The gateway key in BouncyCastle's form, made once per configured credential rather than exported
    // and re-parsed on every EAP-TLS handshake; it goes with the credential when a reload drops it.
    private sealed record BcKey(AsymmetricKeyParameter Key, bool Ecdsa);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<LocalCertificateCredential, BcKey> Keys = new();

    /// <summary>The validated end-entity certificate, once the client sent an acceptable one.</summary>
    public X509Certificate2? PeerCertificate { get; private set; }

    /// <summary>The certificate that issued <see cref="PeerCertificate"/>, for the SA's revocation checks.</summary>
    public X509Certificate2? PeerCertificateIssuer { get; private set; }

    /// <summary>Why the handshake was refused by us (the client's certificate), for the log; null otherwise.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The MSK, set when the handshake completed (RFC 5216 §2.3 / RFC 9190 §2.3).</summary>
    public byte[]? Msk { get; private set; }

    public bool IsTls13 { get; private set; }

    public string? AlertDescription { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv13.DownTo(ProtocolVersion.TLSv12);

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, _ecdsa
        ? [
            CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        ]
        : [
            CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        ]);

    /// <summary>RFC 5216 §2.1.1: the server MUST request a client certificate; it names the CAs it trusts.</summary>
    public override BcCertificateRequest GetCertificateRequest()
    {
        var algorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        var authorities = _policy.TrustedAuthorities
            .Select(ca => X509Name.GetInstance(Asn1Object.FromByteArray(ca.SubjectName.RawData)))
            .ToList();
        return TlsUtilities.IsTlsV13(m_context)
            ? new BcCertificateRequest(TlsUtilities.EmptyBytes, algorithms, null, authorities)
            : new BcCertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, authorities);
    }

    /// <summary>RFC 5216 §5.3: the client's certificate chain, checked as the IKE certificate round checks one.</summary>
    public override void NotifyClientCertificate(BcCertificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            Refusal = "the peer sent no client certificate";
            throw new TlsFatalAlert(TlsUtilities.IsTlsV13(m_context)
                ? Org.BouncyCastle.Tls.AlertDescription.certificate_required
                : Org.BouncyCastle.Tls.AlertDescription.handshake_failure);
        }
        var certificates = new List<CertPayload>(clientCertificate.Length);
        for (var i = 0; i < clientCertificate.Length; i++)
            certificates.Add(new CertPayload(CertEncoding.X509Signature, clientCertificate.GetCertificateAt(i).GetEncoded()));
        var verdict = _validate(certificates);
        if (!verdict.Accepted)
        {
            Refusal = verdict.Failure;
            throw new TlsFatalAlert(Org.BouncyCastle.Tls.AlertDescription.bad_certificate);
        }
        PeerCertificate?.Dispose();
        PeerCertificateIssuer?.Dispose();
        PeerCertificate = verdict.EndEntity;
        PeerCertificateIssuer = verdict.Issuer;
    }

    public override TlsCredentials GetCredentials()
    {
        var tls13 = TlsUtilities.IsTlsV13(m_context);
        var offered = m_context.SecurityParameters.ClientSigAlgs ?? [];
        var algorithm = SignatureFor(tls13, offered)
            ?? throw new TlsFatalAlert(Org.BouncyCastle.Tls.AlertDescription.handshake_failure, "no signature algorithm in common with the peer");
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), (BcTlsCrypto)Crypto, _privateKey,
            Chain(tls13), algorithm);
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        IsTls13 = TlsUtilities.IsTlsV13(m_context);
        var material = IsTls13
            ? m_context.ExportKeyingMaterial(Tls13Label, [(byte)EapType.Tls], KeyMaterialLength)
            : Tls12KeyMaterial();
        Msk = material[..MskLength];
        CryptographicOperations.ZeroMemory(material);
    }

    /// <summary>
    /// RFC 5746 protects renegotiation, which this server never does (one handshake per EAP-TLS run; BouncyCastle's
    /// server refuses a renegotiation anyway), so a client without renegotiation_info — strongSwan 5.9.8's eap-tls
    /// sends none — is not refused for it.
    /// </summary>
    public override void NotifySecureRenegotiation(bool secureRenegotiation)
    {
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
        AlertDescription ??= $"sent TLS alert {Org.BouncyCastle.Tls.AlertDescription.GetText(alertDescription)}"
            + (message is null ? "" : $": {message}") + (cause?.Message is { } why && why != message ? $" ({why})" : "");

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        AlertDescription ??= $"peer sent TLS alert {Org.BouncyCastle.Tls.AlertDescription.GetText(alertDescription)}";

    /// <summary>RFC 5216 §2.3: TLS-PRF-128(master_secret, "client EAP encryption", client.random || server.random).</summary>
    private byte[] Tls12KeyMaterial()
    {
        var sp = m_context.SecurityParameters;
        var seed = new byte[sp.ClientRandom.Length + sp.ServerRandom.Length];
        sp.ClientRandom.CopyTo(seed, 0);
        sp.ServerRandom.CopyTo(seed, sp.ClientRandom.Length);
        return TlsUtilities.Prf(sp, sp.MasterSecret, Tls12Label, seed, KeyMaterialLength).Extract();
    }

    /// <summary>Our end-entity certificate and intermediates, in the form the negotiated version encodes.</summary>
    private BcCertificate Chain(bool tls13)
    {
        var ders = new[] { _credential.Certificate }.Concat(_credential.Intermediates).Select(c => Crypto.CreateCertificate(c.RawData)).ToArray();
        return tls13
            ? new BcCertificate(TlsUtilities.EmptyBytes, [.. ders.Select(c => new CertificateEntry(c, null))])
            : new BcCertificate(ders);
    }

    /// <summary>The first scheme our key can sign with that the client listed (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1).</summary>
    private SignatureAndHashAlgorithm? SignatureFor(bool tls13, IList<SignatureAndHashAlgorithm> offered)
    {
        IEnumerable<SignatureAndHashAlgorithm> ours = _ecdsa
            ? [SignatureAndHashAlgorithm.GetInstance(EcdsaHash(), SignatureAlgorithm.ecdsa)]
            : tls13
                ? [SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, SignatureAndHashAlgorithm.rsa_pss_rsae_sha384]
                : [SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
                    SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha384, SignatureAlgorithm.rsa)];
        return ours.FirstOrDefault(offered.Contains);
    }

    /// <summary>TLS 1.3 ties the ECDSA hash to the curve (ecdsa_secp256r1_sha256 …); TLS 1.2 accepts the same pairs.</summary>
    private short EcdsaHash() => ((ECPrivateKeyParameters)_privateKey).Parameters.Curve.FieldSize switch
    {
        <= 256 => HashAlgorithm.sha256,
        <= 384 => HashAlgorithm.sha384,
        _ => HashAlgorithm.sha512,
    };

    /// <summary>The gateway certificate's private key, handed to BouncyCastle as PKCS#8 (the export is zeroed after).</summary>
    private static AsymmetricKeyParameter PrivateKey(X509Certificate2 certificate, out bool ecdsa)
    {
        using var ec = certificate.GetECDsaPrivateKey();
        using var rsa = ec is null ? certificate.GetRSAPrivateKey() : null;
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)ec ?? rsa
            ?? throw new ArgumentException($"certificate {certificate.Subject} has no RSA or ECDSA private key", nameof(certificate));
        ecdsa = ec is not null;
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            return PrivateKeyFactory.CreateKey(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
