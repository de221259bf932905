using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Tests.Wire;

// RFC 4303 §2.4-§2.6.
public class EspTrailerTests
{
    [Theory]
    [InlineData(20, 4, 2)]   // 20 + 2 = 22 → 24
    [InlineData(22, 4, 0)]   // already aligned
    [InlineData(20, 16, 10)] // AES-CBC block
    [InlineData(14, 16, 0)]
    [InlineData(15, 16, 15)]
    public void PaddingReachesTheBlockBoundary(int payload, int block, int expected)
    {
        var pad = EspTrailer.PaddingLength(payload, block);
        Assert.Equal(expected, pad);
        Assert.Equal(0, (payload + pad + 2) % block);
    }

    [Fact]
    public void WriteUsesTheMonotonicDefaultPadding()
    {
        var buffer = new byte[8];
        Assert.Equal(5, EspTrailer.Write(buffer, 3, 4));
        Assert.Equal(new byte[] { 1, 2, 3, 3, 4 }, buffer[..5]);
    }

    [Fact]
    public void ReadReturnsDataLengthAndNextHeader()
    {
        byte[] plaintext = [0xAA, 0xBB, 1, 2, 2, 41];
        Assert.True(EspTrailer.TryRead(plaintext, out var dataLength, out var next));
        Assert.Equal(2, dataLength);
        Assert.Equal(41, next);
    }

    [Fact]
    public void NonMonotonicPadding_BadPadding()
    {
        byte[] plaintext = [0xAA, 0xBB, 1, 3, 2, 4];
        Assert.False(EspTrailer.TryRead(plaintext, out var dataLength, out var next));
        Assert.Equal(0, dataLength);
        Assert.Equal(0, next);
    }

    [Fact]
    public void PadLengthBeyondPayload_BadLength() =>
        Assert.False(EspTrailer.TryRead([1, 2, 3, 4], out _, out _));

    [Fact]
    public void SingleOctet_TooShort() =>
        Assert.False(EspTrailer.TryRead([4], out _, out _));
}
