using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class CertReqPayloadTests
{
    [Fact]
    public void RoundTrip_WithTwoKeyHashes()
    {
        var req = PayloadAssert.RoundTrip(new CertReqPayload(CertEncoding.X509Signature, StrongSwanMessages.Filled(40, 5)));
        Assert.Equal(2, req.KeyHashes().Count());
        Assert.Equal(StrongSwanMessages.Filled(40, 5)[20..], req.KeyHashes().Last().ToArray());
    }

    [Fact]
    public void EmptyRequest_IsAllowed() => Assert.Empty(PayloadAssert.RoundTrip(new CertReqPayload(CertEncoding.X509Signature, [])).KeyHashes());

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.CertificateRequest, []);

    [Fact]
    public void BadLength_NotAListOfSha1Hashes() => PayloadAssert.Rejects(PayloadType.CertificateRequest, [4, .. new byte[21]]);

    [Fact]
    public void TooManyKeyHashes_AreRefused()
    {
        PayloadAssert.RoundTrip(new CertReqPayload(CertEncoding.X509Signature, new byte[CertReqPayload.MaxKeyHashes * 20]));
        PayloadAssert.Rejects(PayloadType.CertificateRequest, [4, .. new byte[(CertReqPayload.MaxKeyHashes + 1) * 20]]);
    }
}
