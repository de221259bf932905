// The console's audit: each line in the EMS database (the Audit page) and in the log at information level.
using Microsoft.Extensions.Logging;
using PostureGate.Ems.Storage;
using PostureGate.Web.Audit;

namespace PostureGate.Ems.WebConsole;

internal sealed class EmsConsoleAudit(EmsStore store, ILogger<EmsConsoleAudit> logger) : IConsoleAudit
{
    public void Record(ConsoleAuditEntry entry)
    {
        // Fields are normalized names, addresses, UIDs and tag names; detail never holds a secret.
        logger.LogInformation("console audit: {Actor} from {Source}: {Action} {Target} {Detail}",
            entry.Actor, entry.Source, entry.Action, entry.Target, entry.Detail);
        store.AppendAudit(entry);
    }

    public IReadOnlyList<ConsoleAuditEntry> Recent(int limit) => store.ReadAudit(limit);
}
