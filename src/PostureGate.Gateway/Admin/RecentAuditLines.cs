// The decision log the console shows: the newest posture audit lines (logger category
// PostureGate.Audit, one JSON object each, docs/observability.md), kept in memory as they are
// written, whatever the console or --audit-log does with them. Bounded: the oldest go first.
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureGate.Posture;

namespace PostureGate.Gateway.Admin;

public sealed class RecentAuditLines : ILoggerProvider
{
    private const int Keep = 500;
    private readonly LinkedList<PostureAuditRecord> _records = new();

    /// <summary>The newest first.</summary>
    public IReadOnlyList<PostureAuditRecord> Recent(int limit)
    {
        lock (_records)
            return [.. _records.Take(limit)];
    }

    private void Add(string line)
    {
        PostureAuditRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<PostureAuditRecord>(line, PostureAuditRecord.JsonOptions);
        }
        catch (JsonException)
        {
            return;
        }
        if (record is null)
            return;
        lock (_records)
        {
            _records.AddFirst(record);
            if (_records.Count > Keep)
                _records.RemoveLast();
        }
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName == PostureGateKeeper.AuditCategory ? new AuditLogger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class AuditLogger(RecentAuditLines owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                owner.Add(formatter(state, exception));
        }
    }
}
