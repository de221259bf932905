// A RandomNumberGenerator that hands out given bytes in order, so a whole
// exchange can reproduce the RFC 2759 §9.2 sample. Asking for more than was
// given fails the test.
using System.Security.Cryptography;

namespace PostureGate.Ike.Tests.Eap;

internal sealed class FixedRandom(params byte[][] chunks) : RandomNumberGenerator
{
    private readonly byte[] _bytes = chunks.SelectMany(c => c).ToArray();
    private int _offset;

    public int Remaining => _bytes.Length - _offset;

    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        if (data.Length > Remaining)
            throw new InvalidOperationException($"FixedRandom exhausted: {data.Length} asked, {Remaining} left");
        _bytes.AsSpan(_offset, data.Length).CopyTo(data);
        _offset += data.Length;
    }
}
