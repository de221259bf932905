// An EAP-TLS peer for the tests (RFC 5216 §2.1, the strongSwan client's role): BouncyCastle's TLS
// client in non-blocking mode, its records carried in EAP-TLS Responses, fragmented with L on the
// first fragment and sent one per acknowledging Request. Its MSK comes from the RFC 5705 exporter
// (TLS 1.2) — another path than the server's PRF call — or the RFC 9190 exporter (TLS 1.3).
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PostureGate.Ike.Eap;
using PostureGate.Ike.Eap.Tls;
using BcCertificate = Org.BouncyCastle.Tls.Certificate;
using CertificateRequest = Org.BouncyCastle.Tls.CertificateRequest;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace PostureGate.Ike.Tests.Eap.Tls;

internal sealed class EapTlsTestPeer
{
    private readonly TlsClientProtocol _protocol = new();
    private readonly Client _client;
    private readonly int _fragmentSize;
    private readonly List<byte> _inbound = [];
    private byte[] _outbound = [];
    private int _sent;

    /// <param name="certificate">The client certificate with its ECDSA key; null sends an empty Certificate.</param>
    public EapTlsTestPeer(X509Certificate2? certificate, ProtocolVersion[] versions, int fragmentSize = 1024)
    {
        _client = new Client(certificate, versions);
        _fragmentSize = fragmentSize;
    }

    public byte[]? Msk => _client.Msk;

    public bool IsTls13 => _client.IsTls13;

    /// <summary>The application data the server sent (TLS 1.3: the 0x00 commitment of RFC 9190 §2.5).</summary>
    public byte[] ApplicationData()
    {
        var n = _protocol.GetAvailableInputBytes();
        var data = new byte[n];
        _protocol.ReadInput(data, 0, n);
        return data;
    }

    /// <summary>Whether our own flight is still being sent in fragments.</summary>
    public bool Sending => _sent < _outbound.Length;

    /// <summary>The Response to the server's EAP-TLS Request.</summary>
    public byte[] Respond(byte[] request)
    {
        Assert.True(EapPacket.TryParse(request, out var eap));
        Assert.Equal(EapCode.Request, eap.Code);
        Assert.Equal(EapType.Tls, eap.Type);
        Assert.True(EapTlsPacket.TryParse(eap.TypeData, out var tls));
        var id = eap.Identifier;
        if (tls.Has(EapTlsFlags.Start))
        {
            _protocol.Connect(_client);
            return Flight(id);
        }
        if (tls.Data.IsEmpty)
            return NextFragment(id);
        _inbound.AddRange(tls.Data.ToArray());
        if (tls.Has(EapTlsFlags.MoreFragments))
            return Acknowledgement(id);
        _protocol.OfferInput([.. _inbound]);
        _inbound.Clear();
        return Flight(id);
    }

    public static byte[] Acknowledgement(byte id) => EapTlsPacket.Create(EapCode.Response, id, EapTlsFlags.None, null, default);

    private byte[] Flight(byte id)
    {
        var n = _protocol.GetAvailableOutputBytes();
        _outbound = new byte[n];
        _protocol.ReadOutput(_outbound, 0, n);
        _sent = 0;
        return n == 0 ? Acknowledgement(id) : NextFragment(id);
    }

    private byte[] NextFragment(byte id)
    {
        var left = _outbound.Length - _sent;
        Assert.True(left > 0, "the server acknowledged a fragment we never sent");
        var size = Math.Min(left, _fragmentSize);
        var more = size < left;
        var packet = EapTlsPacket.Create(EapCode.Response, id, more ? EapTlsFlags.MoreFragments : EapTlsFlags.None,
            _sent == 0 ? (uint)_outbound.Length : null, _outbound.AsSpan(_sent, size));
        _sent += size;
        return packet;
    }

    private sealed class Client(X509Certificate2? certificate, ProtocolVersion[] versions)
        : DefaultTlsClient(new BcTlsCrypto(new SecureRandom()))
    {
        public byte[]? Msk { get; private set; }
        public bool IsTls13 { get; private set; }
        public X509Certificate2? Certificate => certificate;

        protected override ProtocolVersion[] GetSupportedVersions() => versions;

        public override TlsAuthentication GetAuthentication() => new Authentication(this);

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            IsTls13 = TlsUtilities.IsTlsV13(m_context);
            var material = IsTls13
                ? m_context.ExportKeyingMaterial("EXPORTER_EAP_TLS_Key_Material", [13], 128)
                : m_context.ExportKeyingMaterial("client EAP encryption", null, 128);
            Msk = material[..64];
        }

        private sealed class Authentication(Client outer) : TlsAuthentication
        {
            public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
            {
                // The tests look at the client certificate; the server's is strongSwan's business.
            }

            public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
            {
                if (outer.m_context is not { } context || outer.Certificate is not { } certificate)
                    return null;
                using var key = certificate.GetECDsaPrivateKey()!;
                var pkcs8 = key.ExportPkcs8PrivateKey();
                var privateKey = PrivateKeyFactory.CreateKey(pkcs8);
                CryptographicOperations.ZeroMemory(pkcs8);
                var tlsCert = outer.Crypto.CreateCertificate(certificate.RawData);
                var tls13 = TlsUtilities.IsTlsV13(context);
                var chain = tls13
                    ? new BcCertificate(certificateRequest.GetCertificateRequestContext(), [new CertificateEntry(tlsCert, null)])
                    : new BcCertificate([tlsCert]);
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto)outer.Crypto, privateKey, chain,
                    SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        }
    }
}
