// RFC 7383 §2.6 Receiving IKE Fragment Messages, for one IKE SA and direction.
//   1. each fragment is authenticated and decrypted on arrival (§2.6.2: only
//      verified fragments are kept, so forged ones cannot block reassembly);
//   2. duplicates and fragments of older messages are ignored;
//   3. a higher Total Fragments for the same message (the sender lowered its
//      fragment size, §2.5.2 PMTU) restarts reassembly, a lower one is ignored;
//   4. memory is bounded by a fragment count and an octet budget;
//   5. when every number 1..Total is present, the chunks are joined and parsed
//      as the message's inner payload chain (first type from fragment 1).
using System.Security.Cryptography;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Crypto;

public enum FragmentStatus
{
    /// <summary>Stored; more fragments are needed.</summary>
    Incomplete,
    /// <summary>The message is whole and decoded.</summary>
    Complete,
    /// <summary>A duplicate, a fragment of an older or finished message, or a lower Total Fragments: dropped.</summary>
    Ignored,
    /// <summary>Failed integrity or a limit, or the reassembled message is malformed; see the error.</summary>
    Rejected,
}

public sealed class IkeFragmentReassembler : IDisposable
{
    private readonly int _maxFragments;
    private readonly int _maxBytes;
    private byte[]?[] _chunks = [];
    private uint _messageId;
    private bool _active;
    private ushort _total;
    private int _received;
    private int _bytes;
    private PayloadType _firstInner;
    private uint? _lastCompleted;

    /// <param name="maxFragments">Largest Total Fragments accepted.</param>
    /// <param name="maxBytes">Largest reassembled inner payload size.</param>
    public IkeFragmentReassembler(int maxFragments = 64, int maxBytes = 64 * 1024)
    {
        _maxFragments = maxFragments;
        _maxBytes = maxBytes;
    }

    /// <summary>The Message ID being collected, if any.</summary>
    public uint? PendingMessageId => _active ? _messageId : null;

    /// <summary>
    /// Adds one parsed SKF message (from <see cref="IkeMessage.TryParse"/>). On <see cref="FragmentStatus.Complete"/>
    /// <paramref name="complete"/> holds the decrypted message, checked against the exchange rules.
    /// </summary>
    public FragmentStatus Add(IkeMessage fragmentMessage, SkCipher inbound, out IkeMessage? complete, out IkeError error)
    {
        complete = null;
        error = default;
        if (fragmentMessage.Fragment is not { } skf)
        {
            error = IkeError.Syntax("no SKF payload");
            return FragmentStatus.Rejected;
        }
        var id = fragmentMessage.MessageId;
        if ((_lastCompleted is { } last && id <= last) || (_active && id < _messageId))
            return FragmentStatus.Ignored;
        var sameMessage = _active && id == _messageId;
        if (sameMessage && (skf.TotalFragments < _total
            || (skf.TotalFragments == _total && _chunks[skf.FragmentNumber - 1] is not null)))
            return FragmentStatus.Ignored;
        if (skf.TotalFragments > _maxFragments)
        {
            error = IkeError.Syntax($"SKF: {skf.TotalFragments} fragments exceed the limit of {_maxFragments}");
            return FragmentStatus.Rejected;
        }

        // Verify before touching any state.
        var plaintext = new byte[skf.Body.Length];
        if (!inbound.TryUnprotect(fragmentMessage.RawBytes.Span, skf.BodyOffset, plaintext, out var length))
        {
            error = IkeError.Integrity($"SKF {skf.FragmentNumber}/{skf.TotalFragments} failed its integrity check");
            return FragmentStatus.Rejected;
        }
        var chunk = plaintext.AsSpan(0, length).ToArray();
        CryptographicOperations.ZeroMemory(plaintext);

        if (!sameMessage || skf.TotalFragments > _total)
            Start(id, skf.TotalFragments);
        if (_bytes + chunk.Length > _maxBytes)
        {
            Reset();
            error = IkeError.Syntax($"SKF: reassembled message exceeds {_maxBytes} octets");
            return FragmentStatus.Rejected;
        }
        _chunks[skf.FragmentNumber - 1] = chunk;
        _bytes += chunk.Length;
        _received++;
        if (skf.FragmentNumber == 1)
            _firstInner = skf.FirstInnerPayload;
        if (_received < _total)
            return FragmentStatus.Incomplete;

        var whole = new byte[_bytes];
        var offset = 0;
        foreach (var c in _chunks)
        {
            c!.CopyTo(whole, offset);
            offset += c.Length;
        }
        var first = _firstInner;
        _lastCompleted = id;
        Reset();
        var ok = fragmentMessage.TryBuildInner(first, whole, out complete, out error);
        CryptographicOperations.ZeroMemory(whole);
        return ok ? FragmentStatus.Complete : FragmentStatus.Rejected;
    }

    private void Start(uint messageId, ushort total)
    {
        Reset();
        _active = true;
        _messageId = messageId;
        _total = total;
        _chunks = new byte[]?[total];
    }

    private void Reset()
    {
        foreach (var c in _chunks)
            if (c is not null)
                CryptographicOperations.ZeroMemory(c);
        _chunks = [];
        _active = false;
        _total = 0;
        _received = 0;
        _bytes = 0;
        _firstInner = PayloadType.NoNextPayload;
    }

    public void Dispose() => Reset();
}
