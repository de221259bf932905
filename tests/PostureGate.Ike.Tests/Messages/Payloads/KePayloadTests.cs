using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class KePayloadTests
{
    [Fact]
    public void RoundTrip()
    {
        var ke = PayloadAssert.RoundTrip(new KePayload(KeyExchangeMethod.Curve25519, StrongSwanMessages.Filled(32, 9)));
        Assert.Equal(KeyExchangeMethod.Curve25519, ke.Group);
        Assert.Equal(StrongSwanMessages.Filled(32, 9), ke.Data);
        Assert.Equal("001f0000", Convert.ToHexStringLower(ke.EncodeBody()[..4]));
    }

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.KeyExchange, [0, 14, 0]);

    [Fact]
    public void EmptyKeyExchangeData() => PayloadAssert.Rejects(PayloadType.KeyExchange, [0, 14, 0, 0]);
}
