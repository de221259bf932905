using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class EapPayloadTests
{
    [Fact]
    public void RoundTrip_IdentityResponse()
    {
        // RFC 3748 §5.1: Response (2), id 0, length 10, Identity (1), "alice".
        var eap = PayloadAssert.RoundTrip(new EapPayload([2, 0, 0, 10, 1, .. "alice"u8]));
        Assert.Equal(2, eap.Code);
        Assert.Equal(1, eap.EapType);
        Assert.Equal("EAP/RES/1", eap.ToString());
    }

    [Fact]
    public void Success_HasNoType() => Assert.Equal("EAP/SUCC", PayloadAssert.RoundTrip(new EapPayload([3, 7, 0, 4])).ToString());

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.Eap, [3, 7, 0]);

    [Fact]
    public void BadLength_EapLengthDisagrees() => PayloadAssert.Rejects(PayloadType.Eap, [2, 0, 0, 11, 1, .. "alice"u8]);

    [Fact]
    public void RequestWithoutType() => PayloadAssert.Rejects(PayloadType.Eap, [1, 0, 0, 4]);

    [Fact]
    public void BadCode() => PayloadAssert.Rejects(PayloadType.Eap, [9, 0, 0, 4]);
}
