// `diagnose debug application ike -1` output: the gateway streams these lines to whoever
// is listening on the control socket. Lines never contain secrets (keys, PSK, MSK, passwords).
namespace PostureGate.Ike.Diagnostics;

public interface IIkeDebugSink
{
    /// <summary>
    /// Whether a line written now would go anywhere. IkeDebugLog skips formatting when false,
    /// so an idle debug facility costs one check per call site. Sinks that always keep lines
    /// need not override it.
    /// </summary>
    bool IsEnabled => true;

    void Write(string line);
}

/// <summary>Drops every line (the default when nobody is debugging).</summary>
public sealed class NullIkeDebugSink : IIkeDebugSink
{
    public static NullIkeDebugSink Instance { get; } = new();
    public bool IsEnabled => false;
    public void Write(string line) { }
}

/// <summary>Keeps lines in memory (tests, `diagnose` replay).</summary>
public sealed class CollectingIkeDebugSink : IIkeDebugSink
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get { lock (_lock) return [.. _lines]; }
    }

    public bool IsEnabled => true;

    public void Write(string line)
    {
        lock (_lock) _lines.Add(line);
    }
}
