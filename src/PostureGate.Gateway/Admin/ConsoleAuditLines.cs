// Every console change and sign-in as an audit line: one JSON object in the gateway's audit stream
// (category PostureGate.Audit, so --audit-log files it with the posture decisions) and the newest
// kept in memory for the console. Never a password: the base hands only actor, action and target.
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureGate.Web.Audit;

namespace PostureGate.Gateway.Admin;

public sealed class ConsoleAuditLines(ILoggerFactory loggers) : IConsoleAudit
{
    private readonly ILogger _audit = loggers.CreateLogger(Posture.PostureGateKeeper.AuditCategory);
    private readonly InMemoryConsoleAudit _recent = new();

    public void Record(ConsoleAuditEntry entry)
    {
        _audit.LogInformation("{Audit}", JsonSerializer.Serialize(new
        {
            time = entry.At,
            @event = "console",
            actor = entry.Actor,
            source = entry.Source,
            action = entry.Action,
            target = entry.Target,
            detail = entry.Detail,
        }));
        _recent.Record(entry);
    }

    public IReadOnlyList<ConsoleAuditEntry> Recent(int limit) => _recent.Recent(limit);
}
