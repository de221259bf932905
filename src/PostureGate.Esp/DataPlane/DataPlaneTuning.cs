// The data plane's tuning as an operator sets it (docs/operations.md, "Data-plane tuning"):
// the PG_* variables, parsed here from values the composition root looked up once, so that
// nothing below `pgate gateway` / `pgate client` reads the environment.
using System.Globalization;
using PostureGate.Esp.Crypto;

namespace PostureGate.Esp;

public sealed record DataPlaneTuning
{
    /// <summary>The data plane's options; the composition root adds the firewall hook, clock and IKE hand-off.</summary>
    public EspDataPlaneOptions Esp { get; init; } = new();

    /// <summary>Open TUN devices with IFF_VNET_HDR (merged writes, TSO reads); PG_TUN_OFFLOAD=off turns it off.</summary>
    public bool TunOffload { get; init; } = true;

    /// <summary>
    /// The tuning <paramref name="variable"/> (a name → value lookup, the environment at the edge)
    /// asks for. A value that does not parse leaves its default, as before these were options.
    /// </summary>
    public static DataPlaneTuning FromVariables(Func<string, string?> variable)
    {
        var esp = new EspDataPlaneOptions();
        if (int.TryParse(variable("PG_ESP_PIPELINE_DEPTH"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var depth))
            esp = esp with { PipelineDepth = depth };
        if (int.TryParse(variable("PG_ESP_MODERATION_US"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) && us >= 0)
            esp = esp with { Moderation = TimeSpan.FromMicroseconds(us) };
        if (string.Equals(variable("PG_ESP_CRYPTO"), "bcl", StringComparison.OrdinalIgnoreCase))
            esp = esp with { Crypto = EspCryptoBackend.Bcl };
        return new DataPlaneTuning
        {
            Esp = esp,
            TunOffload = !string.Equals(variable("PG_TUN_OFFLOAD"), "off", StringComparison.OrdinalIgnoreCase),
        };
    }
}
