using System.Net;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class IdPayloadTests
{
    [Fact]
    public void Ipv4_PrintsLikeFortiOs()
    {
        var id = PayloadAssert.RoundTrip(IdPayload.FromAddress(PayloadType.IdInitiator, IPAddress.Parse("172.16.200.242")));
        // The seed document's debug line: "peer identifier IPV4_ADDR 172.16.200.242".
        Assert.Equal("IPV4_ADDR 172.16.200.242", id.ToString());
        Assert.Equal(PayloadType.IdInitiator, id.Type);
        Assert.Equal("01000000ac10c8f2", Convert.ToHexStringLower(id.EncodeBody()));
    }

    [Fact]
    public void OtherTypes_RoundTripAndPrint()
    {
        Assert.Equal("FQDN alice", PayloadAssert.RoundTrip(IdPayload.FromFqdn(PayloadType.IdInitiator, "alice")).ToString());
        Assert.Equal("RFC822_ADDR bob@example.com", PayloadAssert.RoundTrip(IdPayload.FromEmail(PayloadType.IdResponder, "bob@example.com")).ToString());
        Assert.Equal("IPV6_ADDR 2001:db8::1", PayloadAssert.RoundTrip(IdPayload.FromAddress(PayloadType.IdResponder, IPAddress.Parse("2001:db8::1"))).ToString());
        Assert.Equal("KEY_ID 0aff", PayloadAssert.RoundTrip(IdPayload.FromKeyId(PayloadType.IdInitiator, [0x0a, 0xff])).ToString());
    }

    [Fact]
    public void Address_OnlyForAddressTypes()
    {
        Assert.Equal(IPAddress.Parse("10.0.0.1"), IdPayload.FromAddress(PayloadType.IdInitiator, IPAddress.Parse("10.0.0.1")).Address);
        Assert.Null(IdPayload.FromFqdn(PayloadType.IdInitiator, "a").Address);
    }

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.IdInitiator, [1, 0, 0]);

    [Fact]
    public void BadLength_Ipv4WithFiveOctets() => PayloadAssert.Rejects(PayloadType.IdInitiator, [1, 0, 0, 0, 10, 0, 0, 0, 1]);

    [Fact]
    public void EmptyFqdn() => PayloadAssert.Rejects(PayloadType.IdResponder, [2, 0, 0, 0]);

    [Fact]
    public void FqdnWithControlCharacters() => PayloadAssert.Rejects(PayloadType.IdResponder, [2, 0, 0, 0, (byte)'a', 0, (byte)'b']);
}
