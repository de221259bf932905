// Failed logins at the gateway: one warning line and one JSON audit line each (event
// "auth-failed": phase1, peer, user, reason), at most PerWindow of each per minute so a
// flood of bad logins cannot fill the disk; what was dropped is counted in one warning.
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace PostureGate.Posture;

public sealed class AuthFailureAuditor(ILoggerFactory loggers, TimeProvider? time = null, IAuditSink? sink = null)
{
    /// <summary>Failures logged and audited per window; the rest are only counted.</summary>
    public const int PerWindow = 60;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ILogger _log = loggers.CreateLogger("PostureGate.Gateway");
    private readonly ILogger _audit = loggers.CreateLogger(PostureGateKeeper.AuditCategory);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _inWindow;
    private int _suppressed;

    /// <summary>One failure: everything in it is the peer's claim (escaped in the JSON; the EAP layer admits only printable names).</summary>
    public void Report(string phase1, IPEndPoint peer, string? user, string reason)
    {
        var now = _time.GetUtcNow();
        int dropped;
        lock (_lock)
        {
            dropped = 0;
            if (now - _windowStart >= Window)
            {
                dropped = _suppressed;
                _windowStart = now;
                _inWindow = 0;
                _suppressed = 0;
            }
            if (_inWindow >= PerWindow)
            {
                _suppressed++;
                return;
            }
            _inWindow++;
        }
        if (dropped > 0)
            _log.LogWarning("{Count} more failed authentications in the minute before were not logged (at most {Limit} a minute)",
                dropped.ToString(CultureInfo.InvariantCulture), PerWindow);
        _log.LogWarning("{Phase1}: authentication failed for {User} from {Peer}: {Reason}", phase1, user ?? "(no user)", peer, reason);
        var record = new PostureAuditRecord
        {
            Time = now,
            Event = "auth-failed",
            Tunnel = phase1,
            Instance = "",
            Peer = peer.ToString(),
            User = user,
            Outcome = "deny",
            Reason = reason,
        };
        _audit.LogInformation("{Audit}", record.ToJsonLine());
        try
        {
            sink?.Write(record);
        }
        catch (IOException e)
        {
            _log.LogError("audit sink failed: {Message}", e.Message);
        }
    }
}
