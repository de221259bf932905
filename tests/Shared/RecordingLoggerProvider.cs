// An ILoggerProvider that keeps every entry of every category, shared by the test projects as a linked
// source file, so a test can assert what attacker input may log (issue 12: at most a warning, never an
// error, never a stack trace).
using Microsoft.Extensions.Logging;

namespace PostureGate.Testing;

public sealed record RecordedLog(string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " | " + Exception.GetType().Name)}";
}

public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<RecordedLog> _entries = [];

    public IReadOnlyList<RecordedLog> Entries
    {
        get { lock (_lock) return [.. _entries]; }
    }

    /// <summary>Entries at <paramref name="level"/> or above, or carrying an exception (a stack trace when written).</summary>
    public IReadOnlyList<RecordedLog> AtLeastOrWithException(LogLevel level) =>
        [.. Entries.Where(e => e.Level >= level || e.Exception is not null)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>A typed logger for constructors that take ILogger&lt;T&gt;.</summary>
    public ILogger<T> CreateLogger<T>() => new Typed<T>(CreateLogger(typeof(T).FullName ?? typeof(T).Name));

    public void Dispose()
    {
    }

    private void Add(RecordedLog entry)
    {
        lock (_lock)
            _entries.Add(entry);
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new RecordedLog(category, logLevel, formatter(state, exception), exception));
    }

    private sealed class Typed<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
