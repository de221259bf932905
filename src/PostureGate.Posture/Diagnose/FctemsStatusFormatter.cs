// `diagnose endpoint fctems status`: each connector's state (since when it is lost, and since
// when its cache is out of sync: past out-of-sync-threshold), last sync version and age.
// FortiOS's own layout for this is not in the seed; this one follows its "key: value" style.
using System.Globalization;
using System.Text;

namespace PostureGate.Posture;

public static class FctemsStatusFormatter
{
    public sealed record FctemsStatusJson(
        int Id, string Name, string Server, int Port, string? SerialNumber, string State, DateTimeOffset? LostSince,
        DateTimeOffset? OutOfSyncSince, bool CacheUsable, long Version, DateTimeOffset? LastSync, double? LastSyncAgeSeconds, int Endpoints, int PinnedKeys, int Resyncs, string? LastError);

    public static IReadOnlyList<FctemsStatusJson> Describe(IEnumerable<EmsConnector> connectors, PinnedKeyStore keys, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        return [.. connectors.OrderBy(c => c.Settings.Id).Select(c => new FctemsStatusJson(
            c.Settings.Id, c.Settings.Name, c.Settings.Server, c.Settings.Port, c.Settings.SerialNumber,
            c.State.ToString().ToLowerInvariant(), c.LostSince, c.OutOfSyncSince, c.CacheUsable, c.Store.Version, c.LastSyncAt,
            c.LastSyncAt is { } at ? Math.Round((now - at).TotalSeconds, 1) : null,
            c.Store.EndpointCount, keys.CountFor(c.Settings.Id), c.Resyncs, c.LastError))];
    }

    public static string Format(IReadOnlyList<FctemsStatusJson> status, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var sb = new StringBuilder();
        foreach (var s in status)
        {
            var state = s.State switch
            {
                "lost" when s.LostSince is { } since => $"lost since {Time(since)} ({Seconds(now - since)} ago){(s.CacheUsable ? ", cached tags in use" : ", cached tags expired")}",
                var other => other,
            };
            sb.Append("EMS").Append(s.Id.ToString(CultureInfo.InvariantCulture)).Append(" (").Append(s.Name).Append("):\n");
            sb.Append("        server: ").Append(s.Server).Append(':').Append(s.Port.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("        serial number: ").Append(s.SerialNumber).Append('\n');
            sb.Append("        state: ").Append(state).Append('\n');
            if (s.OutOfSyncSince is { } outOfSync)
                sb.Append("        out of sync since: ").Append(Time(outOfSync)).Append(" (").Append(Seconds(now - outOfSync)).Append(" ago)\n");
            sb.Append("        last sync version: ").Append(s.Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("        last sync: ").Append(s.LastSync is { } at ? $"{Seconds(now - at)} ago" : "never").Append('\n');
            sb.Append("        endpoints: ").Append(s.Endpoints.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("        pinned keys: ").Append(s.PinnedKeys.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (s.LastError is not null)
                sb.Append("        last error: ").Append(s.LastError).Append('\n');
        }
        return sb.ToString();
    }

    public static string FormatJson(IReadOnlyList<FctemsStatusJson> status) => DiagnoseJson.Serialize(status);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan span) => $"{Math.Max(0, (long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture)}s";
}
