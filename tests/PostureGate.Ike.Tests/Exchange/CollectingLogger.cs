// An ILogger that keeps every entry, so tests can assert what attacker input may log (issue 12:
// at most one warning, never an error with a stack trace).
using Microsoft.Extensions.Logging;

namespace PostureGate.Ike.Tests.Exchange;

public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

public sealed class CollectingLogger : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_lock) return [.. _entries]; }
    }

    public IReadOnlyList<LogEntry> AtLeast(LogLevel level) => [.. Entries.Where(e => e.Level >= level)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
    }
}
