// RFC 7296 §3.12 Vendor ID Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        Vendor ID (VID)                        ~
namespace PostureGate.Ike.Messages.Payloads;

public sealed class VendorIdPayload : IkePayload
{
    public VendorIdPayload(byte[] data) => Data = data;

    public byte[] Data { get; }

    public override PayloadType Type => PayloadType.VendorId;
    public override int BodyLength => Data.Length;

    public static bool TryParse(ReadOnlySpan<byte> body, out VendorIdPayload? payload, out IkeError error)
    {
        payload = new VendorIdPayload(body.ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public override string ToString() => $"V({Convert.ToHexStringLower(Data)})";
}
