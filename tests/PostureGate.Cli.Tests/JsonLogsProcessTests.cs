// `--log-format json` through real processes: `pgate up` (the gateway and the EMS in one process)
// and `pgate client` write every log entry as one JSON object on its own line, in the one schema
// docs/observability.md documents (Timestamp, EventId, LogLevel, Category, Message, State); the
// console lines of the default format do not appear. A failed login makes both sides log.
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PostureGate.Cli.Tests;

public sealed partial class JsonLogsProcessTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("pgjson").FullName;

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$")]
    private static partial Regex Iso8601();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\S+ (info|warn|fail|dbug) ")]
    private static partial Regex ConsoleLine();

    [Fact]
    public async Task Up_and_client_with_log_format_json_write_one_json_object_per_entry()
    {
        var gateway = UpOnLoopback.Start(_cwd, "not-userc-password", "--log-format", "json");
        using var up = gateway.Process;
        string clientOutput;
        try
        {
            await up.WaitForAsync("Ctrl-C stops everything.");
            using var client = PgateProcess.Start(_cwd, gateway.Client("connect", "--once", "--log-format", "json",
                "--status-file", Path.Combine(_cwd, "status.json")));
            int exit;
            (exit, clientOutput) = await client.ExitAsync();
            Assert.True(exit == 1, clientOutput);
            await up.WaitForAsync("authentication failed for userc");
            await up.WaitForAsync("auth-failed");
        }
        finally
        {
            up.Interrupt();
        }
        await up.ExitAsync();
        var lines = up.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

        Assert.DoesNotContain(lines, l => ConsoleLine().IsMatch(l));
        var entries = lines.Where(l => l.StartsWith('{')).Select(Entry).ToList();
        var warning = Assert.Single(entries, e => e.Message.Contains("authentication failed for userc", StringComparison.Ordinal));
        Assert.Equal("Warning", warning.Level);
        Assert.Equal("PostureGate.Gateway", warning.Category);
        Assert.Matches(Iso8601(), warning.Timestamp);
        // The audit entry: its own JSON object is the message.
        var audit = Assert.Single(entries, e => e.Message.Contains("\"auth-failed\"", StringComparison.Ordinal));
        using (var auditObject = JsonDocument.Parse(audit.Message))
            Assert.Equal("userc", auditObject.RootElement.GetProperty("user").GetString());

        // The client: every line an entry of the same schema.
        var clientLines = clientOutput.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith("pgate client:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(clientLines);
        foreach (var line in clientLines)
        {
            var e = Entry(line);
            Assert.Equal("PostureGate.Client", e.Category);
            Assert.Matches(Iso8601(), e.Timestamp);
        }
    }

    private sealed record LogEntry(string Timestamp, string Level, string Category, string Message);

    private static LogEntry Entry(string line)
    {
        using var doc = JsonDocument.Parse(line); // the whole line: nothing before or after the object
        var r = doc.RootElement;
        Assert.Equal(JsonValueKind.Number, r.GetProperty("EventId").ValueKind);
        return new LogEntry(r.GetProperty("Timestamp").GetString()!, r.GetProperty("LogLevel").GetString()!,
            r.GetProperty("Category").GetString()!, r.GetProperty("Message").GetString()!);
    }
}
