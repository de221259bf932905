using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class AuthPayloadTests
{
    [Fact]
    public void RoundTrip()
    {
        var auth = PayloadAssert.RoundTrip(new AuthPayload(AuthMethod.SharedKeyMic, StrongSwanMessages.Filled(32, 1)));
        Assert.Equal(AuthMethod.SharedKeyMic, auth.Method);
        Assert.Equal("02000000", Convert.ToHexStringLower(auth.EncodeBody()[..4]));
    }

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.Authentication, [2, 0, 0]);

    [Fact]
    public void EmptyData() => PayloadAssert.Rejects(PayloadType.Authentication, [2, 0, 0, 0]);
}
