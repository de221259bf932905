// Dial-up instances: FortiOS clones the phase 1 per client as "<phase1>_<n>", n the lowest
// index not in use (seed: dialup_0, FCT_EMS_TAG_ph2_0); a freed index is reused. The names are
// written and read by the floor's InstanceName.
using PostureGate.Ike.Config;

namespace PostureGate.Ike.Sa;

public sealed class InstanceNames
{
    private readonly Dictionary<string, LowestFreeIndex> _used = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Acquire(string phase1)
    {
        lock (_lock)
        {
            if (!_used.TryGetValue(phase1, out var free))
                _used[phase1] = free = new LowestFreeIndex();
            free.TryTake(int.MaxValue, out var n);
            return InstanceName.Format(phase1, (int)n);
        }
    }

    public void Release(string instance)
    {
        if (!InstanceName.TryParse(instance, out var phase1, out var n))
            return;
        lock (_lock)
        {
            if (_used.TryGetValue(phase1, out var free))
                free.Return(n);
        }
    }
}
