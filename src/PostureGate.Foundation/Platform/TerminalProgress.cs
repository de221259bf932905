// Progress of a long operation (`pgate client bench`) as one bar redrawn in place on a terminal
// ("\r[#####.....] 120/400"), and nothing at all when the stream is not a terminal: a log file or
// a pipe gets no carriage returns, only the operation's result.
namespace PostureGate.Platform;

public sealed class TerminalProgress
{
    public const int Width = 40;

    private readonly TextWriter _terminal;
    private readonly int _total;
    private readonly Lock _gate = new();
    private int _drawn = -1;

    private TerminalProgress(TextWriter terminal, int total)
    {
        _terminal = terminal;
        _total = total;
    }

    /// <summary>A bar on standard error when it is a terminal; null (draw nothing) when it is redirected.</summary>
    public static TerminalProgress? OnStandardError(int total) => For(Console.Error, Console.IsErrorRedirected, total);

    /// <summary>A bar on <paramref name="writer"/>, or null when <paramref name="redirected"/> (not a terminal) or there is nothing to count.</summary>
    public static TerminalProgress? For(TextWriter writer, bool redirected, int total) =>
        redirected || total <= 0 ? null : new TerminalProgress(writer, total);

    /// <summary>The bar for <paramref name="done"/> of <paramref name="total"/>, starting with a carriage return.</summary>
    public static string Format(int done, int total)
    {
        done = Math.Clamp(done, 0, total);
        var filled = (int)((long)done * Width / total);
        return $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total}";
    }

    /// <summary>Redraws the bar when it changed (a filled cell more, or the end); callable from any thread.</summary>
    public void Report(int done)
    {
        lock (_gate)
        {
            var filled = (int)((long)Math.Clamp(done, 0, _total) * Width / _total);
            if (filled == _drawn && done != _total)
                return;
            _drawn = filled;
            _terminal.Write(Format(done, _total));
            _terminal.Flush();
        }
    }

    /// <summary>Ends the bar's line, so what is printed next starts on its own.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _terminal.WriteLine();
            _terminal.Flush();
        }
    }
}
