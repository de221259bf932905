// RFC 7296 §3.8 Authentication Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Auth Method   |                RESERVED                       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Authentication Data                      ~
namespace PostureGate.Ike.Messages.Payloads;

public sealed class AuthPayload : IkePayload
{
    public AuthPayload(AuthMethod method, byte[] data)
    {
        Method = method;
        Data = data;
    }

    public AuthMethod Method { get; }
    public byte[] Data { get; }

    public override PayloadType Type => PayloadType.Authentication;
    public override int BodyLength => 4 + Data.Length;

    public static bool TryParse(ReadOnlySpan<byte> body, out AuthPayload? payload, out IkeError error)
    {
        if (body.Length < 4)
            return Fail("AUTH: too short", out payload, out error);
        payload = new AuthPayload((AuthMethod)body[0], body[4..].ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Method;
        destination.Slice(1, 3).Clear();
        Data.CopyTo(destination[4..]);
    }

    public override bool Verify(out IkeError error)
    {
        if (Data.Length == 0)
        {
            error = IkeError.Syntax("AUTH: empty authentication data");
            return false;
        }
        error = default;
        return true;
    }

    public override string ToString() => $"AUTH({Method})";
}
