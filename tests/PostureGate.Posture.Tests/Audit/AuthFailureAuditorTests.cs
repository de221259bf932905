// Failed logins: a warning and an audit line each, at most AuthFailureAuditor.PerWindow a
// minute; what a flood had suppressed is counted once the next minute begins.
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureGate.Testing;

namespace PostureGate.Posture.Tests.Audit;

public class AuthFailureAuditorTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("198.51.100.7"), 4500);

    [Fact]
    public void Each_failure_is_one_warning_and_one_json_audit_line()
    {
        var lines = new RecordingLoggers();
        var audit = new StringWriter();
        var auditor = new AuthFailureAuditor(lines.Factory, new ManualTimeProvider(), new JsonLinesAuditSink(audit));

        auditor.Report("dialup", Peer, "bob", "AUTH payload did not verify: PSK or ID mismatch");

        var warning = Assert.Single(lines.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal("dialup: authentication failed for bob from 198.51.100.7:4500: AUTH payload did not verify: PSK or ID mismatch", warning.Message);
        var json = Assert.Single(lines.Entries, e => e.Category == PostureGateKeeper.AuditCategory).Message;
        Assert.Equal(json, audit.ToString().TrimEnd('\n'));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("auth-failed", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal("dialup", doc.RootElement.GetProperty("tunnel").GetString());
        Assert.Equal("bob", doc.RootElement.GetProperty("user").GetString());
        Assert.Equal("198.51.100.7:4500", doc.RootElement.GetProperty("peer").GetString());
        Assert.Equal("deny", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("AUTH payload did not verify: PSK or ID mismatch", doc.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void A_flood_is_cut_at_the_limit_and_the_rest_counted_in_the_next_minute()
    {
        var lines = new RecordingLoggers();
        var time = new ManualTimeProvider();
        var auditor = new AuthFailureAuditor(lines.Factory, time);

        for (var i = 0; i < AuthFailureAuditor.PerWindow + 500; i++)
            auditor.Report("dialup", Peer, $"user{i}", "EAP authentication failed: wrong password");
        Assert.Equal(AuthFailureAuditor.PerWindow, lines.Entries.Count(e => e.Category == PostureGateKeeper.AuditCategory));
        Assert.Equal(AuthFailureAuditor.PerWindow, lines.Entries.Count(e => e.Level == LogLevel.Warning));

        time.Advance(AuthFailureAuditor.Window);
        auditor.Report("dialup", Peer, "late", "EAP authentication failed: wrong password");
        Assert.Contains(lines.Entries, e => e.Message == $"500 more failed authentications in the minute before were not logged (at most {AuthFailureAuditor.PerWindow} a minute)");
        Assert.Equal(AuthFailureAuditor.PerWindow + 1, lines.Entries.Count(e => e.Category == PostureGateKeeper.AuditCategory));
    }

    /// <summary>Every entry of every category, with its level.</summary>
    private sealed class RecordingLoggers
    {
        public List<(string Category, LogLevel Level, string Message)> Entries { get; } = [];

        public ILoggerFactory Factory => LoggerFactory.Create(b => b.AddProvider(new Provider(this)).SetMinimumLevel(LogLevel.Trace));

        private sealed class Provider(RecordingLoggers owner) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new Logger(owner, categoryName);

            public void Dispose() { }
        }

        private sealed class Logger(RecordingLoggers owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries)
                    owner.Entries.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }
}
