// `diagnose firewall dynamic list [NAME]`, in FortiOS's layout (seed, Example 1):
//   CMDB name: EMS1_ZTNA_all_registered_clients
//   TAG name: all_registered_clients
//   EMS1_ZTNA_all_registered_clients: ID(6)
//           ADDR(172.16.200.242)
//   Total IP dynamic addresses: 1.
// FortiOS's "Total IP dynamic range blocks" is left out: EMS tags resolve to single addresses here,
// so there is no range block to count.
using System.Globalization;
using System.Text;

namespace PostureGate.Posture;

public static class DynamicListFormatter
{
    private const string AddressIndent = "        ";

    public sealed record DynamicAddressJson(string CmdbName, string TagName, int Ems, int Id, IReadOnlyList<string> Addresses, IReadOnlyList<string> Macs);

    public static IReadOnlyList<DynamicAddress> Select(TagStore store, string? name) =>
        [.. store.DynamicAddresses().Where(a => name is null || a.Name.CmdbName == name)];

    public static string Format(IReadOnlyList<DynamicAddress> addresses)
    {
        var sb = new StringBuilder();
        var total = 0;
        foreach (var address in addresses)
        {
            sb.Append("CMDB name: ").Append(address.Name.CmdbName).Append('\n');
            sb.Append("TAG name: ").Append(address.Name.Tag).Append('\n');
            sb.Append(address.Name.CmdbName).Append(": ID(").Append(address.Id.ToString(CultureInfo.InvariantCulture)).Append(")\n");
            foreach (var ip in address.Addresses)
                sb.Append(AddressIndent).Append("ADDR(").Append(ip).Append(")\n");
            total += address.Addresses.Count;
        }
        sb.Append("Total IP dynamic addresses: ").Append(total.ToString(CultureInfo.InvariantCulture)).Append(".\n");
        return sb.ToString();
    }

    public static string FormatJson(IReadOnlyList<DynamicAddress> addresses) => DiagnoseJson.Serialize(
        addresses.Select(a => new DynamicAddressJson(a.Name.CmdbName, a.Name.Tag, a.Name.ConnectorId, a.Id, [.. a.Addresses.Select(ip => ip.ToString())], a.Macs)).ToList());
}
