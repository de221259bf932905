using System.Buffers.Binary;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Messages;

public class IkeMessageTests
{
    private static IkeMessage Parse(byte[] bytes)
    {
        Assert.True(IkeMessage.TryParse(bytes, out var message, out var error), error.ToString());
        return message!;
    }

    private static IkeError ParseFails(byte[] bytes)
    {
        Assert.False(IkeMessage.TryParse(bytes, out var message, out var error));
        Assert.Null(message);
        Assert.False(error.IsNone);
        return error;
    }

    [Fact]
    public void StrongSwanIkeSaInitRequest_HasTheCapturedSize_AndDecodesEveryPayload()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();

        // INITIATOR-MESSAGES.md: "UDP 500, 532 B".
        Assert.Equal(532, bytes.Length);
        var m = Parse(bytes);
        Assert.Equal(ExchangeType.IkeSaInit, m.Exchange);
        Assert.Equal(IkeHeaderFlags.Initiator, m.Header.Flags);
        Assert.Equal(StrongSwanMessages.SpiI, m.Header.InitiatorSpi);
        Assert.Equal(0UL, m.Header.ResponderSpi);
        Assert.Equal(2, m.Header.MajorVersion);
        Assert.Equal("IKE_SA_INIT request 0 [ SA KE No N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
            + "N(IKEV2_FRAGMENTATION_SUPPORTED) N(SIGNATURE_HASH_ALGORITHMS) N(REDIRECT_SUPPORTED) ]", m.ToString());

        var sa = m.Find<SaPayload>()!;
        Assert.Equal([1, 2, 3], sa.Proposals.Select(p => (int)p.Number));
        // Transform order ENCR, INTEG, PRF, DH; AEAD proposals ENCR, PRF, DH.
        Assert.Equal([TransformType.Encryption, TransformType.Integrity, TransformType.Prf, TransformType.KeyExchange],
            sa.Proposals[0].Transforms.Select(t => t.Type));
        Assert.Equal(128, sa.Proposals[0].Transforms[0].KeyLength);
        Assert.Equal(256, sa.Proposals[1].Transforms[0].KeyLength);
        Assert.Null(sa.Proposals[2].Transforms[0].KeyLength);
        Assert.Equal((ushort)KeyExchangeMethod.Curve25519, sa.Proposals[2].Transforms[2].Id);

        var ke = m.Find<KePayload>()!;
        Assert.Equal(KeyExchangeMethod.Modp2048, ke.Group);
        Assert.Equal(256, ke.Data.Length);
        Assert.Equal(32, m.Find<NoncePayload>()!.Data.Length);
        Assert.Equal(20, m.FindNotify(NotifyType.NatDetectionSourceIp)!.Data.Length);
        Assert.Equal(20, m.FindNotify(NotifyType.NatDetectionDestinationIp)!.Data.Length);
        Assert.Empty(m.FindNotify(NotifyType.Ikev2FragmentationSupported)!.Data);
        Assert.Equal(Convert.FromHexString("0002000300040005"), m.FindNotify(NotifyType.SignatureHashAlgorithms)!.Data);
        Assert.True(m.HasNotify(NotifyType.RedirectSupported));
        Assert.Equal(bytes, m.RawBytes.ToArray());
    }

    [Fact]
    public void ParsedMessage_ReencodesToTheSameOctets()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        Assert.Equal(bytes, Parse(bytes).Encode());
    }

    [Fact]
    public void StrongSwanIkeAuthRequest_HasTheCapturedSize_AndDecryptsInOrder()
    {
        using var keys = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, StrongSwanMessages.Filled(256, 1),
            StrongSwanMessages.Filled(32, 2), StrongSwanMessages.Filled(32, 3), StrongSwanMessages.SpiI, StrongSwanMessages.SpiR);
        using var fromInitiator = keys.CreateCipher(sentByInitiator: true);
        var bytes = StrongSwanMessages.IkeAuthRequest().Encode(fromInitiator);

        // INITIATOR-MESSAGES.md: "UDP 4500, 320 B" (after the non-ESP marker).
        Assert.Equal(320, bytes.Length);
        var outer = Parse(bytes);
        Assert.NotNull(outer.Encrypted);
        Assert.Equal(PayloadType.IdInitiator, outer.Encrypted!.FirstInnerPayload);
        Assert.False(outer.IsProtected);

        Assert.True(outer.TryDecrypt(fromInitiator, out var inner, out var error), error.ToString());
        Assert.True(inner!.IsProtected);
        Assert.Equal("IKE_AUTH request 1 [ IDi N(INITIAL_CONTACT) IDr CPRQ SA TSi TSr N(MOBIKE_SUPPORTED) "
            + "N(NO_ADDITIONAL_ADDRESSES) N(MULTIPLE_AUTH_SUPPORTED) N(EAP_ONLY_AUTHENTICATION) "
            + "N(IKEV2_MESSAGE_ID_SYNC_SUPPORTED) ]", inner.ToString());
        Assert.Equal("FQDN alice", inner.Find<IdPayload>()!.ToString());
        Assert.Equal("CPRQ(InternalIp4Address InternalIp4Dns)", inner.Find<ConfigPayload>()!.ToString());
        Assert.Equal("SA(Esp:AesCbc_128/HmacSha2_256_128/NoEsn, Esp:AesGcm16_256/NoEsn, Esp:ChaCha20Poly1305/NoEsn)",
            inner.Find<SaPayload>()!.ToString());
        Assert.Equal("TSr(203.0.113.0-203.0.113.255)", inner.Payloads[6].ToString());
        Assert.Null(inner.Find<AuthPayload>());
        Assert.Equal(0xc12a0001u, inner.Find<SaPayload>()!.Proposals[0].EspSpi);
    }

    [Fact]
    public void TryDecrypt_WithTheWrongDirectionKeys_FailsSilently_AndLeavesTheMessage()
    {
        using var keys = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, StrongSwanMessages.Filled(256, 1),
            StrongSwanMessages.Filled(32, 2), StrongSwanMessages.Filled(32, 3), StrongSwanMessages.SpiI, StrongSwanMessages.SpiR);
        using var fromInitiator = keys.CreateCipher(true);
        using var fromResponder = keys.CreateCipher(false);
        var outer = Parse(StrongSwanMessages.IkeAuthRequest().Encode(fromInitiator));

        Assert.False(outer.TryDecrypt(fromResponder, out var inner, out var error));
        Assert.Null(inner);
        Assert.True(error.Silent);
        Assert.Single(outer.Payloads);
        Assert.IsType<EncryptedPayload>(outer.Payloads[0]);
    }

    [Fact]
    public void EmptySk_IsALivenessCheck()
    {
        using var keys = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, [1, 2, 3], StrongSwanMessages.Filled(16, 2),
            StrongSwanMessages.Filled(16, 3), 1, 2);
        using var cipher = keys.CreateCipher(false);
        var request = new IkeMessage(new IkeHeader(1, 2, 0, ExchangeType.Informational, IkeHeaderFlags.None, 7, 0));
        var outer = Parse(request.Encode(cipher));
        Assert.Equal(PayloadType.NoNextPayload, outer.Encrypted!.FirstInnerPayload);
        Assert.True(outer.TryDecrypt(cipher, out var inner, out _));
        Assert.Empty(inner!.Payloads);
    }

    [Fact]
    public void TooShort()
    {
        var e = ParseFails(new byte[27]);
        Assert.Equal(NotifyType.InvalidSyntax, e.Notify);
    }

    [Fact]
    public void BadLength_HeaderDisagreesWithDatagram()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(24), (uint)bytes.Length + 1);
        Assert.Equal(NotifyType.InvalidSyntax, ParseFails(bytes).Notify);
    }

    [Fact]
    public void TrailingOctets_AfterTheLastPayload()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        var longer = new byte[bytes.Length + 4];
        bytes.CopyTo(longer, 0);
        BinaryPrimitives.WriteUInt32BigEndian(longer.AsSpan(24), (uint)longer.Length);
        Assert.Contains("after the last payload", ParseFails(longer).Reason);
    }

    [Fact]
    public void LengthBeyondMessage()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        // The SA payload's length field (first payload, at offset 28 + 2).
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(30), 2000);
        var e = ParseFails(bytes);
        Assert.Equal(NotifyType.InvalidSyntax, e.Notify);
        Assert.Contains("beyond", e.Reason);
    }

    [Fact]
    public void PayloadLengthBelowHeader()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(30), 3);
        Assert.Equal(NotifyType.InvalidSyntax, ParseFails(bytes).Notify);
    }

    [Theory]
    [InlineData(0x30)]
    [InlineData(0x10)]
    public void MajorVersionOtherThanTwo(byte version)
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        bytes[17] = version;
        Assert.Equal(NotifyType.InvalidMajorVersion, ParseFails(bytes).Notify);
    }

    [Fact]
    public void MinorVersionIsIgnored()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        bytes[17] = 0x21;
        Assert.Equal(1, Parse(bytes).Header.MinorVersion);
    }

    private static byte[] WithExtraPayload(byte type, bool critical)
    {
        // IKE_SA_INIT with one more payload of type `type` appended after the last notify.
        var message = StrongSwanMessages.IkeSaInitRequest();
        var bytes = message.Encode();
        var extra = new byte[] { 0, (byte)(critical ? 0x80 : 0), 0, 8, 0xde, 0xad, 0xbe, 0xef };
        var result = new byte[bytes.Length + extra.Length];
        bytes.CopyTo(result, 0);
        extra.CopyTo(result, bytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(24), (uint)result.Length);
        // Point the last notify's Next Payload at the new one: walk the chain.
        var offset = IkeHeader.Size;
        while (true)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(result.AsSpan(offset + 2));
            if (result[offset] == 0)
            {
                result[offset] = type;
                break;
            }
            offset += length;
        }
        return result;
    }

    [Fact]
    public void CriticalUnknown_IsUnsupportedCriticalPayload_WithTheType()
    {
        var e = ParseFails(WithExtraPayload(99, critical: true));
        Assert.Equal(NotifyType.UnsupportedCriticalPayload, e.Notify);
        Assert.Equal([99], e.NotificationData);
    }

    [Fact]
    public void NonCriticalUnknown_IsSkipped()
    {
        var m = Parse(WithExtraPayload(99, critical: false));
        var unknown = Assert.IsType<UnknownPayload>(m.Payloads[^1]);
        Assert.Equal((PayloadType)99, unknown.Type);
        Assert.Equal(9, m.Payloads.Count);
    }

    [Fact]
    public void CriticalBitOnAKnownPayload_IsIgnored()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        bytes[IkeHeader.Size + 1] = 0x80;
        Assert.NotNull(Parse(bytes).Find<SaPayload>());
    }

    [Fact]
    public void SkInIkeSaInit_IsRejected()
    {
        using var cipher = SkCipher.Create(StrongSwanMessages.AesCbc128Sha256, new byte[16], new byte[32]);
        var m = new IkeMessage(new IkeHeader(1, 0, 0, ExchangeType.IkeSaInit, IkeHeaderFlags.Initiator, 0, 0), [NoncePayload.CreateRandom()]);
        Assert.Equal(NotifyType.InvalidSyntax, ParseFails(m.Encode(cipher)).Notify);
    }

    [Fact]
    public void IkeAuthWithoutSk_IsRejected()
    {
        var m = new IkeMessage(new IkeHeader(1, 2, 0, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 1, 0), StrongSwanMessages.IkeAuthRequestPayloads());
        Assert.Contains("without an SK payload", ParseFails(m.Encode()).Reason);
    }

    [Fact]
    public void UnknownExchangeType_IsRejected()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        bytes[18] = 99;
        Assert.Equal(NotifyType.InvalidSyntax, ParseFails(bytes).Notify);
    }

    [Fact]
    public void IkeSaInitRequest_WithAResponderSpi_IsRejected()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        bytes[15] = 1;
        Assert.Contains("responder SPI", ParseFails(bytes).Reason);
    }

    [Fact]
    public void ZeroInitiatorSpi_IsRejected()
    {
        var bytes = StrongSwanMessages.IkeSaInitRequest().Encode();
        bytes.AsSpan(0, 8).Clear();
        Assert.Equal(NotifyType.InvalidSyntax, ParseFails(bytes).Notify);
    }

    [Fact]
    public void ResponseWithOnlyCookie_IsAccepted()
    {
        var m = new IkeMessage(new IkeHeader(1, 0, 0, ExchangeType.IkeSaInit, IkeHeaderFlags.Response, 0, 0),
            [new NotifyPayload(NotifyType.Cookie, [1, 2, 3, 4])]);
        Assert.Equal([1, 2, 3, 4], Parse(m.Encode()).FindNotify(NotifyType.Cookie)!.Data);
    }

    [Fact]
    public void CriticalUnknownInsideSk_IsReportedAfterDecryption()
    {
        using var cipher = SkCipher.Create(StrongSwanMessages.AesCbc128Sha256, new byte[16], new byte[32]);
        // Inner chain: N(INITIAL_CONTACT) -> payload 99 (critical).
        byte[] inner = [99, 0, 0, 8, 0, 0, 0x40, 0x00, 0, 0x80, 0, 5, 0xee];
        var message = new byte[IkeHeader.Size + PayloadHeader.Size + cipher.GetProtectedLength(inner.Length)];
        new IkeHeader(1, 2, PayloadType.Encrypted, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 1, (uint)message.Length).Write(message);
        new PayloadHeader(PayloadType.Notify, false, (ushort)(message.Length - IkeHeader.Size)).Write(message.AsSpan(IkeHeader.Size));
        cipher.Protect(message, IkeHeader.Size + PayloadHeader.Size, inner);

        var outer = Parse(message);
        Assert.False(outer.TryDecrypt(cipher, out var decrypted, out var error));
        Assert.Null(decrypted);
        Assert.Equal(NotifyType.UnsupportedCriticalPayload, error.Notify);
        Assert.False(error.Silent);
    }

    [Fact]
    public void PayloadInFrontOfSk_IsRejectedBeforeDecryption()
    {
        using var cipher = SkCipher.Create(StrongSwanMessages.AesCbc128Sha256, new byte[16], new byte[32]);
        var sk = StrongSwanMessages.IkeAuthRequest().Encode(cipher);
        byte[] notify = [(byte)PayloadType.Encrypted, 0, 0, 8, 0, 0, 0x40, 0x00];
        byte[] bytes = [.. sk[..IkeHeader.Size], .. notify, .. sk[IkeHeader.Size..]];
        bytes[16] = (byte)PayloadType.Notify;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(24), (uint)bytes.Length);
        Assert.Contains("outside SK", ParseFails(bytes).Reason);
    }

    [Fact]
    public void HeaderRoundTrip()
    {
        var header = new IkeHeader(0x0102030405060708, 0x1112131415161718, PayloadType.Encrypted, ExchangeType.CreateChildSa,
            IkeHeaderFlags.Response | IkeHeaderFlags.Initiator, 0xA1B2C3D4, 0x01020304);
        var bytes = new byte[IkeHeader.Size];
        header.Write(bytes);
        Assert.Equal("0102030405060708" + "1112131415161718" + "2e" + "20" + "24" + "28" + "a1b2c3d4" + "01020304", Convert.ToHexStringLower(bytes));
        Assert.True(IkeHeader.TryRead(bytes, out var read));
        Assert.Equal(header, read);
        Assert.True(read.IsResponse);
        Assert.True(read.IsInitiator);
    }
}
