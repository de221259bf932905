// An audit kept in memory (bounded) and written to the log at information level: for tests and file-less hosts.
using Microsoft.Extensions.Logging;

namespace PostureGate.Web.Audit;

public sealed class InMemoryConsoleAudit(ILogger<InMemoryConsoleAudit>? logger = null) : IConsoleAudit
{
    private const int Keep = 1000;
    private readonly LinkedList<ConsoleAuditEntry> _entries = new();

    public void Record(ConsoleAuditEntry entry)
    {
        logger?.LogInformation("console audit: {Actor} from {Source}: {Action} {Target} {Detail}",
            entry.Actor, entry.Source, entry.Action, entry.Target, entry.Detail);
        lock (_entries)
        {
            _entries.AddFirst(entry);
            if (_entries.Count > Keep)
                _entries.RemoveLast();
        }
    }

    public IReadOnlyList<ConsoleAuditEntry> Recent(int limit)
    {
        lock (_entries)
            return [.. _entries.Take(limit)];
    }
}
