// The gateway's console log format: one line per entry, an ISO 8601 timestamp with its zone
// ("2026-12-07T14:21:03.512+00:00 warn PostureGate.Ike: …"); an audit entry is its JSON
// object alone on its line, so the audit stream can be read by a JSON-lines tool as it is.
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using PostureGate.Posture;

namespace PostureGate.Gateway.Logging;

public sealed class PgateConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "pgate";

    /// <summary>Time stamps come from here (tests pin it).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null)
            return;
        if (logEntry.Category == PostureGateKeeper.AuditCategory)
        {
            textWriter.Write(message);
            textWriter.Write('\n');
            return;
        }
        textWriter.Write(Time.GetLocalNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        textWriter.Write(LevelName(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");
        // One entry, one line: a line break inside a message (a peer's name, an exception text) cannot forge another.
        textWriter.Write(message.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } e)
        {
            textWriter.Write(" | ");
            textWriter.Write(e.ToString().ReplaceLineEndings(" | "));
        }
        textWriter.Write('\n');
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
