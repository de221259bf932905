// RFC 7296 §3.7 Certificate Request Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Cert Encoding |                                               |
// +-+-+-+-+-+-+-+-+                                               |
// ~                    Certification Authority                    ~
namespace PostureGate.Ike.Messages.Payloads;

public sealed class CertReqPayload : IkePayload
{
    /// <summary>§3.7: for X.509 the CA field is a concatenation of 20-octet SHA-1 hashes of SubjectPublicKeyInfo.</summary>
    public const int KeyHashLength = 20;

    /// <summary>More CA hashes than any deployment trusts CAs; a longer list is only work for us to search.</summary>
    public const int MaxKeyHashes = 64;

    public CertReqPayload(CertEncoding encoding, byte[] certificationAuthority)
    {
        Encoding = encoding;
        CertificationAuthority = certificationAuthority;
    }

    public CertEncoding Encoding { get; }
    public byte[] CertificationAuthority { get; }

    public override PayloadType Type => PayloadType.CertificateRequest;
    public override int BodyLength => 1 + CertificationAuthority.Length;

    /// <summary>The CA key hashes of an X.509 request.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> KeyHashes()
    {
        for (var i = 0; i + KeyHashLength <= CertificationAuthority.Length; i += KeyHashLength)
            yield return CertificationAuthority.AsMemory(i, KeyHashLength);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out CertReqPayload? payload, out IkeError error)
    {
        if (body.Length < 1)
            return Fail("CERTREQ: too short", out payload, out error);
        payload = new CertReqPayload((CertEncoding)body[0], body[1..].ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Encoding;
        CertificationAuthority.CopyTo(destination[1..]);
    }

    public override bool Verify(out IkeError error)
    {
        if (Encoding == CertEncoding.X509Signature && CertificationAuthority.Length % KeyHashLength != 0)
        {
            error = IkeError.Syntax($"CERTREQ: {CertificationAuthority.Length} octets is no list of SHA-1 hashes");
            return false;
        }
        if (CertificationAuthority.Length > MaxKeyHashes * KeyHashLength)
        {
            error = IkeError.Syntax($"CERTREQ: more than {MaxKeyHashes} CA key hashes");
            return false;
        }
        error = default;
        return true;
    }

    public override string ToString() => $"CERTREQ({Encoding})";
}
