// One audit line: who did what to which object from where, and when.
namespace PostureGate.Web.Audit;

/// <param name="Actor">The normalized admin name (or the name tried, for a refused sign-in).</param>
/// <param name="Action">A short verb phrase, e.g. "tag.assign", "signin.failed".</param>
/// <param name="Target">What it was done to, e.g. an endpoint UID; empty when none.</param>
/// <param name="Detail">Anything else worth keeping; never a password or a key.</param>
public sealed record ConsoleAuditEntry(DateTimeOffset At, string Actor, string Source, string Action, string Target, string Detail);
