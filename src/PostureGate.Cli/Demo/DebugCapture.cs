// Collects the gateway's `diagnose debug application ike -1` stream as lines, so each
// demo step can take the lines it caused. The debug log delivers lines through a
// channel, a little after they happen: Take waits for the stream to go quiet.
using System.Collections.Concurrent;
using System.Text;

namespace PostureGate.Cli.Demo;

public sealed class DebugCapture : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private long _lastLine = Environment.TickCount64;

    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        _lines.Enqueue(value ?? "");
        Interlocked.Exchange(ref _lastLine, Environment.TickCount64);
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <summary>The lines so far (emptying the capture), once none arrived for <paramref name="quiet"/> (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<string>> TakeAsync(TimeSpan quiet, TimeSpan limit, CancellationToken ct = default)
    {
        var until = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Environment.TickCount64 < until && Environment.TickCount64 - Interlocked.Read(ref _lastLine) < quiet.TotalMilliseconds)
            await Task.Delay(25, ct).ConfigureAwait(false);
        var taken = new List<string>();
        while (_lines.TryDequeue(out var line))
            taken.Add(line);
        return taken;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has arrived (true) or <paramref name="limit"/> passed.</summary>
    public async Task<bool> WaitForAsync(string text, TimeSpan limit, CancellationToken ct = default)
    {
        var until = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (Environment.TickCount64 >= until)
                return false;
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
        return true;
    }
}
