// RFC 7296 §3.6 Certificate Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Cert Encoding |                                               |
// +-+-+-+-+-+-+-+-+                                               |
// ~                       Certificate Data                        ~
namespace PostureGate.Ike.Messages.Payloads;

public sealed class CertPayload : IkePayload
{
    /// <summary>
    /// The largest certificate accepted: an RSA-4096 certificate with long names stays under 3 KB;
    /// anything far beyond is a peer making us parse and hold junk (issue 10 "an oversized CERT payload").
    /// </summary>
    public const int MaxDataLength = 8192;

    public CertPayload(CertEncoding encoding, byte[] data)
    {
        Encoding = encoding;
        Data = data;
    }

    public CertEncoding Encoding { get; }
    public byte[] Data { get; }

    public override PayloadType Type => PayloadType.Certificate;
    public override int BodyLength => 1 + Data.Length;

    public static bool TryParse(ReadOnlySpan<byte> body, out CertPayload? payload, out IkeError error)
    {
        if (body.Length < 1)
            return Fail("CERT: too short", out payload, out error);
        payload = new CertPayload((CertEncoding)body[0], body[1..].ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Encoding;
        Data.CopyTo(destination[1..]);
    }

    public override bool Verify(out IkeError error)
    {
        var reason = Data.Length switch
        {
            0 => "CERT: empty certificate data",
            > MaxDataLength => $"CERT: {Data.Length} octets of certificate data, more than {MaxDataLength}",
            _ => null,
        };
        error = reason is null ? default : IkeError.Syntax(reason);
        return reason is null;
    }

    public override string ToString() => $"CERT({Encoding}, {Data.Length} B)";
}
