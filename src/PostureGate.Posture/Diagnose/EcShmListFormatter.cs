// `diagnose endpoint ec-shm list`, in FortiOS's layout (seed, Example 1): "Record #n:" then
// 16-space-indented "Key = value" / "Key: value" lines and the gateway routes. Real values are
// printed (the seed's asterisks are the documentation's masking, not FortiOS's). One record per
// endpoint of one EMS: connectors that reach the same EMS (same serial — `pgate up` points both
// of examples/dialup.conf's at its one embedded EMS) share the record, "EMS connector: EMS1,EMS2";
// the same UID under two different EMS stays two records, as FortiOS keeps one per connector.
using System.Globalization;
using System.Text;

namespace PostureGate.Posture;

public static class EcShmListFormatter
{
    private const string I1 = "                ";
    private const string I2 = "                        ";
    private const string I3 = "                                ";

    public sealed record EcShmRecordJson(
        int Record, int Ems, string Uid, string? Ip, string? Mac, IReadOnlyList<string> MacList, string Vdom, int VdomId,
        string? EmsSerialNumber, string? EmsTenantId, string? ClientCertSn, string? PublicIp, bool Quarantined,
        string OnlineStatus, string RegistrationStatus, string OnNetStatus, string? GatewayInterface, string? FortiClientVersion,
        string? Host, string? User, IReadOnlyList<string> Tags, IReadOnlyList<int> EmsConnectors);

    /// <summary>One endpoint of one EMS, and every connector that sees it there.</summary>
    private sealed record Shm(EndpointEntry Entry, IReadOnlyList<int> Connectors, IReadOnlyList<string> Tags);

    // Grouped by (EMS serial, UID) in connector order; an entry without a serial is its connector's own.
    private static List<Shm> Records(TagStore store)
    {
        var seen = new Dictionary<(string Ems, string Uid), int>();
        var records = new List<(EndpointEntry Entry, List<int> Connectors, List<string> Tags)>();
        foreach (var connector in store.All)
        {
            foreach (var e in connector.Endpoints().OrderBy(e => e.Ipv4 ?? uint.MaxValue).ThenBy(e => e.Uid, StringComparer.Ordinal))
            {
                var key = (e.EmsSerial ?? "#" + connector.ConnectorId.ToString(CultureInfo.InvariantCulture), e.Uid);
                if (seen.TryGetValue(key, out var i))
                {
                    records[i].Connectors.Add(connector.ConnectorId);
                    records[i].Tags.AddRange(e.Tags.Where(t => !records[i].Tags.Contains(t, StringComparer.Ordinal)));
                    continue;
                }
                seen[key] = records.Count;
                records.Add((e, [connector.ConnectorId], [.. e.Tags]));
            }
        }
        return [.. records.Select(r => new Shm(r.Entry, r.Connectors, r.Tags))];
    }

    /// <param name="gatewaySerial">This gateway's serial for the route lines ("SN: FG5H…").</param>
    public static string Format(TagStore store, string? gatewaySerial = null)
    {
        var sb = new StringBuilder();
        var n = 0;
        foreach (var (e, connectors, tags) in Records(store))
        {
            var vdom = $"{e.Vdom} ({e.VdomId.ToString(CultureInfo.InvariantCulture)})";
            sb.Append("Record #").Append(n++.ToString(CultureInfo.InvariantCulture)).Append(":\n");
            sb.Append(I1).Append("IP Address = ").Append(e.Ip).Append('\n');
            sb.Append(I1).Append("MAC Address = ").Append(e.Mac).Append('\n');
            sb.Append(I1).Append("MAC list =").Append(OtherMacs(e).Any() ? " " + string.Join(",", OtherMacs(e)) : "").Append('\n');
            sb.Append(I1).Append("VDOM = ").Append(vdom).Append('\n');
            sb.Append(I1).Append("TOKEN VDOM =  (-1)\n");
            sb.Append(I1).Append("EMS serial number: ").Append(e.EmsSerial).Append('\n');
            sb.Append(I1).Append("EMS tenant id: ").Append(e.EmsTenantId).Append('\n');
            sb.Append(I1).Append("Client cert SN: ").Append(e.ClientCertSn).Append('\n');
            sb.Append(I1).Append("Public IP address: ").Append(e.PublicIp).Append('\n');
            sb.Append(I1).Append("Quarantined: ").Append(e.Quarantined ? "yes" : "no").Append('\n');
            sb.Append(I1).Append("Online status: ").Append(e.Online ? "online" : "offline").Append('\n');
            sb.Append(I1).Append("Registration status: ").Append(e.Registered ? "registered" : "unregistered").Append('\n');
            sb.Append(I1).Append("On-net status: ").Append(e.OnNet ? "on-net" : "off-net").Append('\n');
            sb.Append(I1).Append("Gateway Interface: ").Append(e.GatewayInterface).Append('\n');
            sb.Append(I1).Append("FortiClient version: ").Append(e.FctVersion).Append('\n');
            sb.Append(I1).Append("FortiClient UID: ").Append(e.Uid).Append('\n');
            sb.Append(I1).Append("EMS connector: ").Append(string.Join(",", connectors.Select(c => "EMS" + c.ToString(CultureInfo.InvariantCulture)))).Append('\n');
            sb.Append(I1).Append("Tags: ").Append(string.Join(",", tags)).Append('\n');
            var routes = e.Ip is null ? 0 : 1;
            sb.Append(I1).Append("Number of Routes: (").Append(routes.ToString(CultureInfo.InvariantCulture)).Append(")\n");
            if (routes == 1)
            {
                sb.Append(I2).Append("Gateway Route #0:\n");
                sb.Append(I3).Append("- IP:").Append(e.Ip).Append(", MAC: ").Append(e.Mac).Append(", VPN: no\n");
                sb.Append(I3).Append("- Interface:").Append(e.GatewayInterface).Append(", VDOM:").Append(vdom).Append(", SN: ").Append(gatewaySerial).Append('\n');
            }
        }
        return sb.ToString();
    }

    public static string FormatJson(TagStore store)
    {
        var n = 0;
        var records = new List<EcShmRecordJson>();
        foreach (var (e, connectors, tags) in Records(store))
        {
            records.Add(new EcShmRecordJson(n++, connectors[0], e.Uid, e.Ip?.ToString(), e.Mac, [.. OtherMacs(e)], e.Vdom, e.VdomId,
                e.EmsSerial, e.EmsTenantId, e.ClientCertSn, e.PublicIp?.ToString(), e.Quarantined,
                e.Online ? "online" : "offline", e.Registered ? "registered" : "unregistered", e.OnNet ? "on-net" : "off-net",
                e.GatewayInterface, e.FctVersion, e.Host, e.User, tags, connectors));
        }
        return DiagnoseJson.Serialize(records);
    }

    private static IEnumerable<string> OtherMacs(EndpointEntry e) =>
        e.Macs.Where(m => !string.Equals(m, e.Mac, StringComparison.OrdinalIgnoreCase));
}
