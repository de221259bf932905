// AuthFailureReason: the metric label of every reason text the IKE layer reports is one of a
// fixed set, so a peer can never add label values (its ID or user name) to the metrics.
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Ike.Tests.Diagnostics;

public sealed class AuthFailureReasonTests
{
    [Theory]
    [InlineData("AUTH payload did not verify: PSK or ID mismatch", "psk_mismatch")]
    [InlineData("EAP AUTH payload did not verify", "psk_mismatch")]
    [InlineData("EAP authentication failed: MSCHAPv2 response did not verify", "eap")]
    [InlineData("peer ID FQDN mallory does not match FQDN alice", "peer_id")]
    [InlineData("gw validation failed: not a matching tag", "gw_match")]
    [InlineData("peer authenticates with a key but EAP is required", "auth_method")]
    [InlineData("no AUTH payload and EAP is not enabled", "auth_method")]
    [InlineData("no answer after the gateway's AUTH: the client could not verify it (PSK or ID mismatch) or gave up", "no_answer")]
    [InlineData("IKE_AUTH in the wrong state", "protocol")]
    [InlineData("anything a peer might make us say about alice@example", "protocol")]
    public void Classify_MapsReasonTextToAFixedLabel(string reason, string label)
    {
        Assert.Equal(label, AuthFailureReason.Classify(reason));
        Assert.Contains(label, AuthFailureReason.All);
    }
}
