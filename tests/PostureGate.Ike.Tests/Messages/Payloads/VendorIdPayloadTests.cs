using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class VendorIdPayloadTests
{
    [Fact]
    public void RoundTrip_StrongSwanVendorId()
    {
        // INITIATOR-MESSAGES.md: V(strongSwan, 882fe56d6fd20dbc2251613b2ebe5beb).
        var vid = PayloadAssert.RoundTrip(new VendorIdPayload(Convert.FromHexString("882fe56d6fd20dbc2251613b2ebe5beb")));
        Assert.Equal("V(882fe56d6fd20dbc2251613b2ebe5beb)", vid.ToString());
    }
}
