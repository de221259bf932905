using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class CertPayloadTests
{
    [Fact]
    public void RoundTrip()
    {
        var cert = PayloadAssert.RoundTrip(new CertPayload(CertEncoding.X509Signature, [0x30, 0x82, 0x01, 0x00]));
        Assert.Equal(CertEncoding.X509Signature, cert.Encoding);
        Assert.Equal("0430820100", Convert.ToHexStringLower(cert.EncodeBody()));
    }

    [Fact]
    public void TooShort() => PayloadAssert.Rejects(PayloadType.Certificate, []);

    [Fact]
    public void EmptyCertificate() => PayloadAssert.Rejects(PayloadType.Certificate, [4]);

    [Fact]
    public void Oversized_IsRefused()
    {
        Assert.Contains("more than", PayloadAssert.Rejects(PayloadType.Certificate, [4, .. new byte[CertPayload.MaxDataLength + 1]]));
        PayloadAssert.RoundTrip(new CertPayload(CertEncoding.X509Signature, new byte[CertPayload.MaxDataLength]));
    }
}
