// Recording an audit line from a request: the actor and the source come from the session and the connection.
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PostureGate.Web.Audit;

public static class ConsoleAuditExtensions
{
    public static void Audit(this HttpContext http, string action, string target, string detail = "")
    {
        var audit = http.RequestServices.GetRequiredService<IConsoleAudit>();
        var time = http.RequestServices.GetRequiredService<ConsoleOptions>().Time;
        audit.Record(new ConsoleAuditEntry(time.GetUtcNow(), http.User.Name(), http.SourceAddress(), action, target, detail));
    }

    /// <summary>The peer's address as Kestrel saw it (no X-Forwarded-For: a header anyone can write).</summary>
    public static string SourceAddress(this HttpContext http)
        => http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown";
}
