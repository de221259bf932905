// Streams a long diagnose answer (`vpn tunnel list`, `vpn ike gateway list` of 100,000 tunnels,
// issue 16) to the control socket in chunks as it is formatted, instead of one string of the whole
// list: memory stays bounded and the first lines leave before the last are built.
using System.Text;

namespace PostureGate.Gateway.Diagnose;

internal static class ChunkedOutput
{
    /// <summary>About this many characters per write (the control socket's writer flushes on every write).</summary>
    public const int ChunkChars = 64 * 1024;

    /// <summary>Writes <paramref name="header"/> and then each part, in writes of about <see cref="ChunkChars"/>.</summary>
    public static async Task WriteAsync(TextWriter output, string header, IEnumerable<string> parts, CancellationToken ct)
    {
        var chunk = new StringBuilder(header, ChunkChars + 4096);
        foreach (var part in parts)
        {
            chunk.Append(part);
            if (chunk.Length >= ChunkChars)
            {
                await output.WriteAsync(chunk, ct).ConfigureAwait(false);
                chunk.Clear();
            }
        }
        if (chunk.Length > 0)
            await output.WriteAsync(chunk, ct).ConfigureAwait(false);
    }
}
