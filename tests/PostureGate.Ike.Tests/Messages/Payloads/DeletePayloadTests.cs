using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class DeletePayloadTests
{
    [Fact]
    public void IkeSa_RoundTrip()
    {
        var d = PayloadAssert.RoundTrip(DeletePayload.ForIkeSa());
        Assert.Equal(ProtocolId.Ike, d.Protocol);
        Assert.Empty(d.Spis);
        Assert.Equal("01000000", Convert.ToHexStringLower(d.EncodeBody()));
    }

    [Fact]
    public void ChildSas_RoundTrip()
    {
        var d = PayloadAssert.RoundTrip(DeletePayload.ForChildSas([0xc12a0001, 0x0000ffff]));
        Assert.Equal([0xc12a0001u, 0x0000ffffu], d.Spis);
        Assert.Equal("03040002c12a00010000ffff", Convert.ToHexStringLower(d.EncodeBody()));
    }

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.Delete, [3, 4, 0]);

    [Fact]
    public void BadLength_CountDisagrees() => PayloadAssert.Rejects(PayloadType.Delete, [3, 4, 0, 2, 1, 2, 3, 4]);

    [Fact]
    public void IkeWithSpis() => PayloadAssert.Rejects(PayloadType.Delete, [1, 0, 0, 1]);

    [Fact]
    public void EspWithEightOctetSpis() => PayloadAssert.Rejects(PayloadType.Delete, [3, 8, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8]);

    [Fact]
    public void UnknownProtocol() => PayloadAssert.Rejects(PayloadType.Delete, [7, 4, 0, 0]);
}
