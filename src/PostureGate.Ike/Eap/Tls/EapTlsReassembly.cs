// RFC 5216 §2.1.5: reassembling the peer's fragmented TLS message. The first fragment of a
// fragmented message MUST carry L (the total length); each further fragment continues it in order
// (EAP is lock-step, so order is the Identifier's, checked by the session). Every length the peer
// states is checked against what arrives and against a ceiling, so a lying L bit, a message larger
// than the ceiling or a fragment past the announced end is refused without buffering it.
namespace PostureGate.Ike.Eap.Tls;

public sealed class EapTlsReassembly(int maxMessageLength)
{
    private byte[]? _buffer;
    private int _received;

    /// <summary>Whether part of a message has arrived and more is awaited.</summary>
    public bool InProgress => _buffer is not null;

    /// <summary>
    /// Adds one fragment. True with <paramref name="message"/> set when the message is complete, true with it null
    /// when more fragments are awaited (the caller acknowledges), false with <paramref name="problem"/> when the
    /// fragment is refused; a refusal discards what was buffered.
    /// </summary>
    public bool TryAdd(EapTlsPacket fragment, out byte[]? message, out string problem)
    {
        message = null;
        var more = fragment.Has(EapTlsFlags.MoreFragments);
        if (fragment.Data.IsEmpty)
            return Refuse("an EAP-TLS fragment without TLS data", out problem);
        if (_buffer is null)
        {
            // §2.1.5: "The L bit ... MUST be set for the first fragment of a fragmented TLS message."
            if (more && fragment.MessageLength is null)
                return Refuse("first EAP-TLS fragment without the TLS Message Length (L bit)", out problem);
            var total = fragment.MessageLength ?? (uint)fragment.Data.Length;
            if (total > (uint)maxMessageLength)
                return Refuse($"EAP-TLS message of {total} octets, more than {maxMessageLength}", out problem);
            if ((uint)fragment.Data.Length > total || (!more && (uint)fragment.Data.Length != total) || (more && (uint)fragment.Data.Length == total))
                return Refuse($"EAP-TLS TLS Message Length {total} does not match the {fragment.Data.Length} octets sent", out problem);
            if (!more)
            {
                message = fragment.Data.ToArray();
                problem = "";
                return true;
            }
            _buffer = new byte[total];
            fragment.Data.CopyTo(_buffer);
            _received = fragment.Data.Length;
            problem = "";
            return true;
        }
        // A later fragment may repeat L, but not change it.
        if (fragment.MessageLength is { } repeated && repeated != (uint)_buffer.Length)
            return Refuse($"EAP-TLS TLS Message Length changed from {_buffer.Length} to {repeated} within one message", out problem);
        var left = _buffer.Length - _received;
        if (fragment.Data.Length > left || (more && fragment.Data.Length == left) || (!more && fragment.Data.Length != left))
            return Refuse($"EAP-TLS fragment of {fragment.Data.Length} octets does not fit the {left} left of the announced {_buffer.Length}", out problem);
        fragment.Data.CopyTo(_buffer.AsSpan(_received));
        _received += fragment.Data.Length;
        problem = "";
        if (more)
            return true;
        message = _buffer;
        _buffer = null;
        _received = 0;
        return true;
    }

    private bool Refuse(string reason, out string problem)
    {
        _buffer = null;
        _received = 0;
        problem = reason;
        return false;
    }
}
