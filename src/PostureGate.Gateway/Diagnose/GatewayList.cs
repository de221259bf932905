// `diagnose vpn ike gateway list` (FortiOS 7.4, the seed document): one block per IKE SA in the
// layout IkeSaSnapshot.Format keeps, or the same SAs as JSON (IkeGatewayJson) with --json.
using System.Text;
using System.Text.Json;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Gateway.Diagnose;

internal static class GatewayList
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The text blocks, each ending in a newline; <paramref name="now"/> dates `created: Ns ago`.</summary>
    public static string Format(IEnumerable<IkeSaSnapshot> sas, DateTimeOffset now) => string.Concat(Blocks(sas, now));

    /// <summary>The blocks one by one (for a streamed answer).</summary>
    public static IEnumerable<string> Blocks(IEnumerable<IkeSaSnapshot> sas, DateTimeOffset now) => sas.Select(sa => sa.Format(now) + "\n");

    /// <summary>The JSON array of the SAs, one line after another (indented).</summary>
    public static string FormatJson(IEnumerable<IkeSaSnapshot> sas) => JsonSerializer.Serialize(sas.Select(IkeGatewayJson.Of), Json);
}
