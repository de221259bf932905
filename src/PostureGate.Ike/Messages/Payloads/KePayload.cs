// RFC 7296 §3.4 Key Exchange Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |   Diffie-Hellman Group Num    |           RESERVED            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       Key Exchange Data                       ~
using System.Buffers.Binary;
using PostureGate.Proposals;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class KePayload : IkePayload
{
    public KePayload(KeyExchangeMethod group, byte[] data)
    {
        Group = group;
        Data = data;
    }

    public KeyExchangeMethod Group { get; }
    public byte[] Data { get; }

    public override PayloadType Type => PayloadType.KeyExchange;
    public override int BodyLength => 4 + Data.Length;

    public static bool TryParse(ReadOnlySpan<byte> body, out KePayload? payload, out IkeError error)
    {
        if (body.Length < 4)
            return Fail("KE: too short", out payload, out error);
        payload = new KePayload((KeyExchangeMethod)BinaryPrimitives.ReadUInt16BigEndian(body), body[4..].ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Group);
        destination.Slice(2, 2).Clear();
        Data.CopyTo(destination[4..]);
    }

    public override bool Verify(out IkeError error)
    {
        // §3.4: the length of the public value is fixed by the group; checking it against the group
        // is the key-exchange code's job (it knows the sizes), an empty value is always wrong.
        if (Data.Length == 0)
        {
            error = IkeError.Syntax("KE: empty key exchange data");
            return false;
        }
        error = default;
        return true;
    }

    public override string ToString() => $"KE({Group}, {Data.Length} B)";
}
