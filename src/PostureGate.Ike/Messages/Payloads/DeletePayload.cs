// RFC 7296 §3.11 Delete Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Protocol ID   |   SPI Size    |          Num of SPIs          |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~               Security Parameter Index(es) (SPI)              ~
using System.Buffers.Binary;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class DeletePayload : IkePayload
{
    private DeletePayload(ProtocolId protocol, IReadOnlyList<uint> spis)
    {
        Protocol = protocol;
        Spis = spis;
    }

    public ProtocolId Protocol { get; }

    /// <summary>The ESP/AH SPIs; empty for the IKE SA (§3.11: SPI Size 0, no SPIs).</summary>
    public IReadOnlyList<uint> Spis { get; }

    public override PayloadType Type => PayloadType.Delete;
    public override int BodyLength => 4 + 4 * Spis.Count;

    public static DeletePayload ForIkeSa() => new(ProtocolId.Ike, []);

    public static DeletePayload ForChildSas(IReadOnlyList<uint> spis, ProtocolId protocol = ProtocolId.Esp) => new(protocol, spis);

    public static bool TryParse(ReadOnlySpan<byte> body, out DeletePayload? payload, out IkeError error)
    {
        if (body.Length < 4)
            return Fail("D: too short", out payload, out error);
        var protocol = (ProtocolId)body[0];
        var spiSize = body[1];
        var count = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
        // §3.11: IKE uses SPI Size 0 (the SPIs are in the header), ESP and AH four octets.
        var expected = protocol == ProtocolId.Ike ? 0 : 4;
        if (spiSize != expected || (protocol == ProtocolId.Ike && count != 0))
            return Fail($"D: SPI size {spiSize} / count {count} for {protocol}", out payload, out error);
        if (body.Length != 4 + spiSize * count)
            return Fail($"D: {count} SPIs announced, length {body.Length}", out payload, out error);
        var spis = new uint[count];
        for (var i = 0; i < count; i++)
            spis[i] = BinaryPrimitives.ReadUInt32BigEndian(body[(4 + 4 * i)..]);
        payload = new DeletePayload(protocol, spis);
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Protocol;
        destination[1] = Protocol == ProtocolId.Ike ? (byte)0 : (byte)4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)Spis.Count));
        for (var i = 0; i < Spis.Count; i++)
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 + 4 * i)..], Spis[i]);
    }

    public override bool Verify(out IkeError error)
    {
        if (Protocol is not (ProtocolId.Ike or ProtocolId.Esp or ProtocolId.Ah))
        {
            error = IkeError.Syntax($"D: protocol {(byte)Protocol}");
            return false;
        }
        error = default;
        return true;
    }

    public override string ToString() => Protocol == ProtocolId.Ike ? "D(IKE)" : $"D({Protocol} {string.Join(',', Spis.Select(s => s.ToString("x8")))})";
}
