using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class NoncePayloadTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    public void RoundTrip_AtTheLimits(int length) =>
        Assert.Equal(length, PayloadAssert.RoundTrip(new NoncePayload(new byte[length])).Data.Length);

    [Theory]
    [InlineData(15)]
    [InlineData(257)]
    public void BadLength(int length) => Assert.Contains("outside 16..256", PayloadAssert.Rejects(PayloadType.Nonce, new byte[length]));

    [Fact]
    public void CreateRandom_IsFresh() => Assert.NotEqual(NoncePayload.CreateRandom().Data, NoncePayload.CreateRandom().Data);
}
