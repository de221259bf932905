// Online status: an endpoint is online while it reported within OnlineWindow. Coming back is
// logged by its report; going quiet has no request to hang on, so a periodic sweep logs it —
// once (offline_logged) — and gateways following the change stream see `online: false`.
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore
{
    /// <summary>Endpoints one sweep transaction logs at most: the sweep holds the writer lock while it
    /// runs, so 100,000 endpoints going quiet at once must not hold off registrations for minutes
    /// (SQLite's writers give up after their 30 s busy timeout).</summary>
    public const int SweepBatch = 500;

    /// <summary>Logs endpoint.updated for each endpoint that went offline since the last sweep, in
    /// transactions of at most <paramref name="batch"/> endpoints.</summary>
    public EmsResult SweepOffline(int batch = SweepBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var now = Now;
        EmsResult? changed = null;
        while (true)
        {
            var full = false;
            var step = Write((connection, tx) =>
            {
                var quiet = new List<string>();
                using (var command = Command(connection, tx,
                    "SELECT uid FROM endpoints WHERE offline_logged = 0 AND last_seen < $cutoff ORDER BY uid LIMIT $batch;",
                    ("$cutoff", now - OnlineSeconds), ("$batch", batch)))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                        quiet.Add(reader.GetString(0));
                }
                full = quiet.Count == batch;
                long version = 0;
                foreach (var uid in quiet)
                {
                    Exec(connection, tx, "UPDATE endpoints SET offline_logged = 1 WHERE uid = $u;", ("$u", uid));
                    var endpoint = ReadEndpoint(connection, tx, uid)!;
                    version = AppendChange(connection, tx, now, ChangeKinds.EndpointUpdated, uid, EndpointJson.ToJson(endpoint, now, OnlineSeconds, includeFacts: false));
                }
                return version == 0
                    ? new EmsResult(EmsOutcome.Unchanged, null, ReadVersion(connection, tx))
                    : new EmsResult(EmsOutcome.Ok, null, version);
            });
            if (step.Outcome == EmsOutcome.Ok)
                changed = step;
            if (!full || step.Outcome != EmsOutcome.Ok)
                return changed ?? step;
        }
    }
}
