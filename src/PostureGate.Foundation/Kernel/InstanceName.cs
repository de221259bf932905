// Dial-up instance names: FortiOS clones a dial-up phase1 per client as "<phase1>_<n>"
// (seed: dialup_0, FCT_EMS_TAG_ph2_0; observed on FortiOS 7.x `diagnose vpn ike gateway list`).
// The one parser: the IKE layer names instances, the data plane, the firewall and diagnose read them.
namespace PostureGate.Kernel;

public static class InstanceName
{
    public static string Format(string phase1, int index) => $"{phase1}_{index}";

    /// <summary>Splits "dialup_0" into "dialup" and 0; false when the name has no "_&lt;n&gt;" suffix.</summary>
    public static bool TryParse(string instance, out string phase1, out int index)
    {
        var cut = instance.LastIndexOf('_');
        if (cut > 0 && int.TryParse(instance.AsSpan(cut + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out index))
        {
            phase1 = instance[..cut];
            return true;
        }
        phase1 = instance;
        index = 0;
        return false;
    }

    /// <summary>"dialup_0" → "dialup"; a name that is not an instance is its own phase1.</summary>
    public static string Phase1Of(string instance) => TryParse(instance, out var phase1, out _) ? phase1 : instance;
}
