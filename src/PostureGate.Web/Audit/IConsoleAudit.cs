// The audit hook: every change made through the console (and every sign-in) is handed here.
namespace PostureGate.Web.Audit;

public interface IConsoleAudit
{
    void Record(ConsoleAuditEntry entry);

    /// <summary>The newest entries first, at most <paramref name="limit"/>.</summary>
    IReadOnlyList<ConsoleAuditEntry> Recent(int limit);
}
