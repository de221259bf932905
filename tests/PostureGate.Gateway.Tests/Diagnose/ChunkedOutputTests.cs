// ChunkedOutput: a long diagnose answer leaves in bounded writes, whole and in order.
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Diagnose;

public sealed class ChunkedOutputTests
{
    private sealed class CountingWriter : StringWriter
    {
        public List<int> Writes { get; } = [];

        public override Task WriteAsync(System.Text.StringBuilder? value, CancellationToken cancellationToken = default)
        {
            Writes.Add(value?.Length ?? 0);
            return base.WriteAsync(value, cancellationToken);
        }
    }

    [Fact]
    public async Task ALongList_IsWrittenWholeAndInOrder_InWritesOfAboutAChunk()
    {
        var parts = Enumerable.Range(0, 20_000).Select(i => $"tunnel dialup_{i}\n").ToList();
        var output = new CountingWriter();

        await ChunkedOutput.WriteAsync(output, "list all ipsec tunnel in vd 0\n", parts, CancellationToken.None);

        Assert.Equal("list all ipsec tunnel in vd 0\n" + string.Concat(parts), output.ToString());
        Assert.True(output.Writes.Count > 1);
        Assert.All(output.Writes, w => Assert.InRange(w, 1, ChunkedOutput.ChunkChars + 64));
    }

    [Fact]
    public async Task AnEmptyList_IsTheHeaderAlone()
    {
        var output = new CountingWriter();

        await ChunkedOutput.WriteAsync(output, "header\n", [], CancellationToken.None);

        Assert.Equal("header\n", output.ToString());
        Assert.Single(output.Writes);
    }
}
