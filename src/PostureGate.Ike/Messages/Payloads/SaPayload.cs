// RFC 7296 §3.3 Security Association Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                          <Proposals>                          ~
namespace PostureGate.Ike.Messages.Payloads;

public sealed class SaPayload : IkePayload
{
    public SaPayload(IReadOnlyList<Proposal> proposals) => Proposals = proposals;

    public IReadOnlyList<Proposal> Proposals { get; }

    public override PayloadType Type => PayloadType.SecurityAssociation;

    public override int BodyLength => Proposals.Sum(p => p.EncodedLength);

    public static bool TryParse(ReadOnlySpan<byte> body, out SaPayload? payload, out IkeError error)
    {
        var proposals = new List<Proposal>();
        var sawLast = false;
        while (!body.IsEmpty)
        {
            if (sawLast)
                return Fail("SA: data after the last proposal", out payload, out error);
            if (!Proposal.TryRead(body, out var proposal, out var used, out sawLast, out var reason))
                return Fail("SA: " + reason, out payload, out error);
            proposals.Add(proposal!);
            body = body[used..];
        }
        if (!sawLast)
            return Fail("SA: no last proposal", out payload, out error);
        payload = new SaPayload(proposals);
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination)
    {
        var offset = 0;
        for (var i = 0; i < Proposals.Count; i++)
            offset += Proposals[i].Write(destination[offset..], i == Proposals.Count - 1);
    }

    public override bool Verify(out IkeError error)
    {
        for (var i = 0; i < Proposals.Count; i++)
        {
            var p = Proposals[i];
            if (!p.Verify(out var reason))
            {
                error = IkeError.Syntax("SA: " + reason);
                return false;
            }
            // §3.3.1: an offer numbers its proposals 1, 2, 3 …; an answer carries the single
            // chosen proposal with the number it had in the offer.
            if (Proposals.Count > 1 && p.Number != i + 1)
            {
                error = IkeError.Syntax($"SA: proposal {i + 1} numbered {p.Number}");
                return false;
            }
        }
        error = default;
        return true;
    }

    public override string ToString() => $"SA({string.Join(", ", Proposals)})";
}
