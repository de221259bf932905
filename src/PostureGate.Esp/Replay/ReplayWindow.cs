// RFC 4303 §3.4.3 anti-replay for one inbound SA, kept as the block bitmap of RFC 6479
// §2 so that sliding the window clears whole 64-bit words instead of shifting bits.
// With ESN the high 32 bits are never sent; §3.4.3 and Appendix A2.2 infer them from
// the window. Check before the ICV, update only after the ICV has been verified.
// Not thread-safe: the owning SA serialises its callers.
using System.Numerics;

namespace PostureGate.Esp.Replay;

/// <summary>The outcome of a replay check.</summary>
public enum ReplayStatus : byte
{
    /// <summary>Not seen yet and inside (or above) the window.</summary>
    Accept,
    /// <summary>Already received.</summary>
    Duplicate,
    /// <summary>Below the left edge of the window.</summary>
    TooOld,
    /// <summary>Sequence number 0 is never sent (RFC 4303 §3.3.3: the first packet carries 1).</summary>
    Zero,
}

public sealed class ReplayWindow
{
    private const int BlockBits = 64;

    /// <summary>The widest window accepted (Linux XFRM's ESN bitmap limit is far below this).</summary>
    public const int MaxSize = 1 << 20;

    private readonly ulong[] _bitmap;
    private readonly int _blockMask;

    /// <summary>The highest authenticated sequence number (0 before the first packet).</summary>
    public ulong Highest { get; private set; }

    /// <summary>The configured window size W in packets; 0 disables the replay check.</summary>
    public int Size { get; }

    public ReplayWindow(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        Size = size;
        // RFC 6479 §2: one block beyond W, since the block holding the top is partly in the future.
        var blocks = (int)BitOperations.RoundUpToPowerOf2((uint)((size + BlockBits - 1) / BlockBits + 1));
        _bitmap = new ulong[blocks];
        _blockMask = blocks - 1;
    }

    /// <summary>
    /// RFC 4303 Appendix A2.2: the full 64-bit sequence number of a packet carrying
    /// <paramref name="low"/>, assuming it falls in or above the window. Without ESN it is just the low bits.
    /// </summary>
    public ulong InferSequence(uint low, bool esn)
    {
        if (!esn)
            return low;
        var th = (uint)(Highest >> 32);
        var tl = (uint)Highest;
        // With anti-replay disabled there is no window; a nominal one keeps the inference defined.
        var w = (uint)Math.Max(Size, BlockBits);
        var leftEdge = unchecked(tl - w + 1);
        uint high;
        if (tl >= w - 1)
            high = low >= leftEdge ? th : th + 1;          // Case A: window within one subspace
        else
            high = low >= leftEdge && th > 0 ? th - 1 : th; // Case B: window spans two subspaces
        return (ulong)high << 32 | low;
    }

    /// <summary>RFC 4303 §3.4.3: the check made before the ICV is verified; changes nothing.</summary>
    public ReplayStatus Check(ulong sequence)
    {
        if (sequence == 0)
            return ReplayStatus.Zero;
        if (sequence > Highest || Size == 0)
            return ReplayStatus.Accept;
        if (Highest - sequence >= (ulong)Size)
            return ReplayStatus.TooOld;
        var block = _bitmap[(int)(sequence / BlockBits) & _blockMask];
        return (block & 1UL << (int)(sequence % BlockBits)) != 0 ? ReplayStatus.Duplicate : ReplayStatus.Accept;
    }

    /// <summary>RFC 4303 §3.4.3: records an authenticated sequence number, sliding the window if it is new.</summary>
    public void Update(ulong sequence)
    {
        if (sequence > Highest)
        {
            var current = Highest / BlockBits;
            var steps = Math.Min(sequence / BlockBits - current, (ulong)_bitmap.Length);
            for (ulong i = 1; i <= steps; i++)
                _bitmap[(int)((current + i) & (ulong)_blockMask)] = 0;
            Highest = sequence;
        }
        _bitmap[(int)(sequence / BlockBits) & _blockMask] |= 1UL << (int)(sequence % BlockBits);
    }
}
