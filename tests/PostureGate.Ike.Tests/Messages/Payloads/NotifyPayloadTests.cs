using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class NotifyPayloadTests
{
    [Fact]
    public void RoundTrip_WithEspSpi()
    {
        var n = PayloadAssert.RoundTrip(NotifyPayload.ForEspSpi(NotifyType.RekeySa, 0x01020304));
        Assert.Equal(ProtocolId.Esp, n.Protocol);
        Assert.Equal("0304" + "4009" + "01020304", Convert.ToHexStringLower(n.EncodeBody()));
    }

    [Fact]
    public void FromError_CarriesTypeAndData()
    {
        var n = NotifyPayload.FromError(IkeError.UnsupportedCritical(99));
        Assert.Equal(NotifyType.UnsupportedCriticalPayload, n.NotifyType);
        Assert.Equal([99], n.Data);
        Assert.True(n.IsError);
    }

    [Theory]
    [InlineData(NotifyType.InvalidSyntax, "INVALID_SYNTAX", true)]
    [InlineData(NotifyType.Ikev2MessageIdSyncSupported, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED", false)]
    [InlineData(NotifyType.NatDetectionSourceIp, "NAT_DETECTION_SOURCE_IP", false)]
    [InlineData(NotifyType.TsUnacceptable, "TS_UNACCEPTABLE", true)]
    [InlineData((NotifyType)40961, "40961", false)]
    public void IanaNames(NotifyType type, string name, bool isError)
    {
        Assert.Equal(name, type.IanaName());
        Assert.Equal(isError, type.IsError());
    }

    [Fact]
    public void PrivateType_IsPreserved() =>
        Assert.Equal((NotifyType)40961, PayloadAssert.RoundTrip(new NotifyPayload((NotifyType)40961, [1, 2, 3])).NotifyType);

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.Notify, [0, 0, 0x40]);

    [Fact]
    public void SpiBeyondPayload() => PayloadAssert.Rejects(PayloadType.Notify, [3, 4, 0x40, 0x09, 1, 2]);

    [Fact]
    public void BadSpiSize() => PayloadAssert.Rejects(PayloadType.Notify, [3, 2, 0x40, 0x00, 1, 2]);

    [Fact]
    public void NatDetectionHashOfWrongLength() =>
        PayloadAssert.Rejects(PayloadType.Notify, new NotifyPayload(NotifyType.NatDetectionSourceIp, new byte[19]).EncodeBody());

    [Fact]
    public void CookieTooLong() => PayloadAssert.Rejects(PayloadType.Notify, new NotifyPayload(NotifyType.Cookie, new byte[65]).EncodeBody());

    [Fact]
    public void EmptyCookie() => PayloadAssert.Rejects(PayloadType.Notify, new NotifyPayload(NotifyType.Cookie).EncodeBody());

    [Fact]
    public void InvalidKePayloadWithoutGroup() => PayloadAssert.Rejects(PayloadType.Notify, new NotifyPayload(NotifyType.InvalidKePayload).EncodeBody());

    [Fact]
    public void RekeySaWithoutSpi() => PayloadAssert.Rejects(PayloadType.Notify, new NotifyPayload(NotifyType.RekeySa).EncodeBody());

    [Fact]
    public void FragmentationSupportedWithData() =>
        PayloadAssert.Rejects(PayloadType.Notify, new NotifyPayload(NotifyType.Ikev2FragmentationSupported, [1]).EncodeBody());

    [Fact]
    public void OddSignatureHashAlgorithms() =>
        PayloadAssert.Rejects(PayloadType.Notify, new NotifyPayload(NotifyType.SignatureHashAlgorithms, [0, 2, 0]).EncodeBody());
}
