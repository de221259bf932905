// RFC 7296 §2.5: a payload of a type this implementation does not know, with the
// critical bit clear, is skipped; it is kept only so logs can show it.
namespace PostureGate.Ike.Messages.Payloads;

public sealed class UnknownPayload : IkePayload
{
    private readonly PayloadType _type;

    public UnknownPayload(PayloadType type, byte[] body)
    {
        _type = type;
        Body = body;
    }

    public byte[] Body { get; }

    public override PayloadType Type => _type;
    public override int BodyLength => Body.Length;
    public override void WriteBody(Span<byte> destination) => Body.CopyTo(destination);
    public override string ToString() => $"UNKNOWN({(byte)_type})";
}
