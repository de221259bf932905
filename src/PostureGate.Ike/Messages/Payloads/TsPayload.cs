// RFC 7296 §3.13 Traffic Selector Payload (TSi 44, TSr 45)
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Number of TSs |                 RESERVED                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                       <Traffic Selectors>                     ~
namespace PostureGate.Ike.Messages.Payloads;

public sealed class TsPayload : IkePayload
{
    private readonly PayloadType _type;

    /// <param name="payloadType">TSi (44) or TSr (45).</param>
    public TsPayload(PayloadType payloadType, IReadOnlyList<TrafficSelector> selectors)
    {
        if (payloadType is not (PayloadType.TrafficSelectorInitiator or PayloadType.TrafficSelectorResponder))
            throw new ArgumentException("a TS payload is TSi or TSr", nameof(payloadType));
        _type = payloadType;
        Selectors = selectors;
    }

    public IReadOnlyList<TrafficSelector> Selectors { get; }

    public override PayloadType Type => _type;
    public override int BodyLength => 4 + Selectors.Sum(s => s.EncodedLength);

    public static bool TryParse(PayloadType payloadType, ReadOnlySpan<byte> body, out TsPayload? payload, out IkeError error)
    {
        if (body.Length < 4)
            return Fail("TS: too short", out payload, out error);
        var count = body[0];
        var rest = body[4..];
        var selectors = new List<TrafficSelector>(count);
        for (var i = 0; i < count; i++)
        {
            if (!TrafficSelector.TryRead(rest, out var selector, out var used, out var reason))
                return Fail("TS: " + reason, out payload, out error);
            selectors.Add(selector);
            rest = rest[used..];
        }
        // §3.13: the payload holds exactly Number of TSs selectors.
        if (!rest.IsEmpty)
            return Fail($"TS: {rest.Length} octets after {count} selectors", out payload, out error);
        payload = new TsPayload(payloadType, selectors);
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        destination[0] = checked((byte)Selectors.Count);
        destination.Slice(1, 3).Clear();
        var offset = 4;
        foreach (var s in Selectors)
            offset += s.Write(destination[offset..]);
    }

    public override bool Verify(out IkeError error)
    {
        // §3.13: "Number of TSs ... MUST NOT be zero".
        if (Selectors.Count == 0)
        {
            error = IkeError.Syntax("TS: no traffic selectors");
            return false;
        }
        foreach (var s in Selectors)
        {
            if (!s.Verify(out var reason))
            {
                error = IkeError.Syntax("TS: " + reason);
                return false;
            }
        }
        error = default;
        return true;
    }

    public override string ToString() => $"{Type.ShortName()}({string.Join(' ', Selectors)})";
}
