// The state machine's single door to the wire codec: decode (parse, SK decrypt, SKF
// reassembly) and encode (SK protect, RFC 7383 fragmentation) for one IKE SA.
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Sa;

internal enum DecodeResult
{
    Complete,
    /// <summary>An SKF fragment was stored (or ignored as a duplicate); the message is not complete yet.</summary>
    Incomplete,
    Error,
}

internal static class IkeWire
{
    /// <summary>
    /// Parses and (after IKE_SA_INIT) decrypts a datagram addressed to <paramref name="sa"/>.
    /// <paramref name="retransmitKey"/> identifies the request for §2.1 (for SKF: fragment 1, RFC 7383 §2.6.1).
    /// </summary>
    public static DecodeResult TryDecode(IkeSa sa, ReadOnlyMemory<byte> bytes, bool fromPeerAsInitiator,
        out IkeMessage? message, out byte[] retransmitKey, out IkeError error)
    {
        message = null;
        retransmitKey = IkeReceiver.HashRequest(bytes.Span);
        if (!IkeMessage.TryParse(bytes, out var parsed, out error))
            return DecodeResult.Error;
        if (parsed!.Header.Exchange == ExchangeType.IkeSaInit)
        {
            message = parsed;
            return DecodeResult.Complete;
        }
        if (sa.Keys is null)
        {
            error = IkeError.Syntax("encrypted message before keys exist");
            return DecodeResult.Error;
        }
        var inbound = fromPeerAsInitiator ? sa.Keys.FromInitiator : sa.Keys.FromResponder;
        if (parsed.Fragment is { } skf)
        {
            var reassembler = parsed.IsResponse ? sa.ResponseFragments : sa.RequestFragments;
            var status = reassembler.Add(parsed, inbound, out message, out error);
            if (!parsed.IsResponse && skf.FragmentNumber == 1 && status is FragmentStatus.Incomplete or FragmentStatus.Complete)
                sa.FirstFragmentHash = retransmitKey;
            if (status == FragmentStatus.Complete && !parsed.IsResponse)
                retransmitKey = sa.FirstFragmentHash ?? retransmitKey;
            return status switch
            {
                FragmentStatus.Complete => DecodeResult.Complete,
                FragmentStatus.Rejected => DecodeResult.Error,
                _ => DecodeResult.Incomplete,
            };
        }
        return parsed.TryDecrypt(inbound, out message, out error) ? DecodeResult.Complete : DecodeResult.Error;
    }

    /// <summary>Encodes a message from <paramref name="sa"/>: plain for IKE_SA_INIT, else SK, split into SKF when too big.</summary>
    public static IReadOnlyList<byte[]> Encode(IkeSa sa, IkeHeader header, IReadOnlyList<IkePayload> payloads)
    {
        var message = new IkeMessage(header, payloads);
        if (header.Exchange == ExchangeType.IkeSaInit || sa.Keys is null)
            return [message.Encode()];
        var outbound = sa.IsInitiator ? sa.Keys.FromInitiator : sa.Keys.FromResponder;
        var whole = message.Encode(outbound);
        // RFC 7383 §2.5: fragment only when both sides announced support and the message does not fit.
        if (sa.PeerSupportsFragmentation && sa.Config.Fragmentation && whole.Length > sa.Config.FragmentMtu)
            return IkeFragmenter.Fragment(new IkeMessage(header, payloads), outbound, sa.Config.FragmentMtu);
        return [whole];
    }
}
