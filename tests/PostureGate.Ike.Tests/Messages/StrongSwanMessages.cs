// Messages shaped like strongSwan 5.9.8's as an initiator, built from the
// capture description in /work/shared/interop-lab/INITIATOR-MESSAGES.md
// (payload order, transform order, sizes). Shared by the codec, crypto, fuzz
// corpus and benchmark tests.
using System.Net;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Messages;

internal static class StrongSwanMessages
{
    public const ulong SpiI = 0x8f2c_11d3_a0b4_5e61;
    public const ulong SpiR = 0x3c4d_5e6f_7a8b_9c0d;

    public static byte[] Filled(int length, byte seed)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = (byte)(seed + i * 7);
        return bytes;
    }

    /// <summary>"-> IKE_SA_INIT req 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]", 532 B.</summary>
    public static IkeMessage IkeSaInitRequest() => new(
        new IkeHeader(SpiI, 0, PayloadType.NoNextPayload, ExchangeType.IkeSaInit, IkeHeaderFlags.Initiator, 0, 0),
        [
            new SaPayload(
            [
                new Proposal(1, ProtocolId.Ike, [],
                [
                    Transform.Encryption(EncryptionAlgorithm.AesCbc, 128), Transform.Integrity(IntegrityAlgorithm.HmacSha2_256_128),
                    Transform.Prf(PrfAlgorithm.HmacSha2_256), Transform.KeyExchange(KeyExchangeMethod.Modp2048),
                ]),
                new Proposal(2, ProtocolId.Ike, [],
                [
                    Transform.Encryption(EncryptionAlgorithm.AesGcm16, 256), Transform.Prf(PrfAlgorithm.HmacSha2_384),
                    Transform.KeyExchange(KeyExchangeMethod.Ecp384),
                ]),
                new Proposal(3, ProtocolId.Ike, [],
                [
                    Transform.Encryption(EncryptionAlgorithm.ChaCha20Poly1305), Transform.Prf(PrfAlgorithm.HmacSha2_256),
                    Transform.KeyExchange(KeyExchangeMethod.Curve25519),
                ]),
            ]),
            new KePayload(KeyExchangeMethod.Modp2048, Filled(256, 0x11)),
            new NoncePayload(Filled(32, 0x22)),
            new NotifyPayload(NotifyType.NatDetectionSourceIp, Filled(20, 0x33)),
            new NotifyPayload(NotifyType.NatDetectionDestinationIp, Filled(20, 0x44)),
            new NotifyPayload(NotifyType.Ikev2FragmentationSupported),
            new NotifyPayload(NotifyType.SignatureHashAlgorithms, [0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05]),
            new NotifyPayload(NotifyType.RedirectSupported),
        ]);

    /// <summary>
    /// "-> IKE_AUTH req 1 [ IDi N(INIT_CONTACT) IDr CPRQ(ADDR DNS) SA TSi TSr N(MOBIKE_SUP) N(NO_ADD_ADDR)
    /// N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]", 320 B with AES-CBC-128/HMAC-SHA2-256-128.
    /// </summary>
    public static IkeMessage IkeAuthRequest() => new(
        new IkeHeader(SpiI, SpiR, PayloadType.NoNextPayload, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 1, 0),
        IkeAuthRequestPayloads());

    public static List<IkePayload> IkeAuthRequestPayloads() =>
    [
        IdPayload.FromFqdn(PayloadType.IdInitiator, "alice"),
        new NotifyPayload(NotifyType.InitialContact),
        IdPayload.FromFqdn(PayloadType.IdResponder, "gw.pg.example"),
        new ConfigPayload(ConfigType.Request,
            [ConfigAttribute.Request(ConfigAttributeType.InternalIp4Address), ConfigAttribute.Request(ConfigAttributeType.InternalIp4Dns)]),
        new SaPayload(
        [
            new Proposal(1, ProtocolId.Esp, [0xc1, 0x2a, 0x00, 0x01],
            [
                Transform.Encryption(EncryptionAlgorithm.AesCbc, 128), Transform.Integrity(IntegrityAlgorithm.HmacSha2_256_128),
                Transform.Esn(EsnMode.NoEsn),
            ]),
            new Proposal(2, ProtocolId.Esp, [0xc1, 0x2a, 0x00, 0x01],
                [Transform.Encryption(EncryptionAlgorithm.AesGcm16, 256), Transform.Esn(EsnMode.NoEsn)]),
            new Proposal(3, ProtocolId.Esp, [0xc1, 0x2a, 0x00, 0x01],
                [Transform.Encryption(EncryptionAlgorithm.ChaCha20Poly1305), Transform.Esn(EsnMode.NoEsn)]),
        ]),
        new TsPayload(PayloadType.TrafficSelectorInitiator, [TrafficSelector.Any()]),
        new TsPayload(PayloadType.TrafficSelectorResponder,
            [TrafficSelector.Create(IPAddress.Parse("203.0.113.0"), IPAddress.Parse("203.0.113.255"))]),
        new NotifyPayload(NotifyType.MobikeSupported),
        new NotifyPayload(NotifyType.NoAdditionalAddresses),
        new NotifyPayload(NotifyType.MultipleAuthSupported),
        new NotifyPayload(NotifyType.EapOnlyAuthentication),
        new NotifyPayload(NotifyType.Ikev2MessageIdSyncSupported),
    ];

    /// <summary>The suite strongSwan's first IKE proposal offers (and the captured IKE_AUTH used).</summary>
    public static readonly CipherSuite AesCbc128Sha256 = new("aes128-sha256", EncryptionAlgorithm.AesCbc, 128,
        IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_256);

    /// <summary>Every IKE SA suite the SK code implements: CBC with each HMAC, GCM 128/256, ChaCha20-Poly1305.</summary>
    public static IEnumerable<CipherSuite> AllIkeSuites()
    {
        foreach (var bits in new[] { 128, 192, 256 })
            foreach (var (integ, prf) in new[]
            {
                (IntegrityAlgorithm.HmacSha1_96, PrfAlgorithm.HmacSha1), (IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_256),
                (IntegrityAlgorithm.HmacSha2_384_192, PrfAlgorithm.HmacSha2_384), (IntegrityAlgorithm.HmacSha2_512_256, PrfAlgorithm.HmacSha2_512),
            })
                yield return new CipherSuite($"aes{bits}-{integ}", EncryptionAlgorithm.AesCbc, bits, integ, prf);
        yield return new CipherSuite("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256);
        yield return new CipherSuite("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_384);
        yield return new CipherSuite("chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256);
    }
}
