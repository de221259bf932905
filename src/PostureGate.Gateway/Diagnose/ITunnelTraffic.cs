// Where `diagnose vpn tunnel list` reads its traffic figures (FortiOS 7.4 layout, the seed document):
// the CHILD_SAs installed for an instance and the data plane's counters for it and for each CHILD_SA.
using PostureGate.Kernel;

namespace PostureGate.Gateway.Diagnose;

internal interface ITunnelTraffic
{
    /// <summary>The CHILD_SAs installed for <paramref name="instance"/> ("dialup_0").</summary>
    IEnumerable<ChildSaInstallation> InstalledChildren(string instance);

    /// <summary>The instance's tunnel counters; all zero when no data plane carries it.</summary>
    InstanceTraffic Instance(string instance);

    /// <summary>One CHILD_SA's packet and byte counts; zero when no data plane holds it.</summary>
    ChildTraffic Child(uint inboundSpi);
}

/// <summary>One instance's counters, summed over its CHILD_SAs where the data plane counts per SA.</summary>
internal readonly record struct InstanceTraffic(long RxPackets, long TxPackets, long RxBytes, long TxBytes,
    long? InboundIdleSeconds, long? OutboundIdleSeconds, long SelectorDrops, long PolicyDrops, long ReplayDrops, long AuthFailures);

/// <summary>One CHILD_SA's counts, as `proxyid=` shows them (`dec:` inbound, `enc:` outbound).</summary>
internal readonly record struct ChildTraffic(long InPackets, long InBytes, long OutPackets, long OutBytes);
