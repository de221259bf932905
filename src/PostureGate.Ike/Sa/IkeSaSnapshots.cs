// One IKE SA as `diagnose vpn ike gateway list` shows it (IkeSaSnapshot): read under the SA's gate,
// counters per gateway instance as FortiOS keeps them (rekeys included).
using System.Net;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Ike.Sa;

internal static class IkeSaSnapshots
{
    /// <summary>The immutable record of <paramref name="sa"/>; <paramref name="interfaceName"/> as `interface:` shows it.</summary>
    public static IkeSaSnapshot Of(IkeSa sa, string interfaceName)
    {
        var children = sa.Children.Count(c => c.State is ChildSaState.Installed or ChildSaState.Rekeying);
        return new IkeSaSnapshot
        {
            Name = sa.LogName,
            PeerConfigName = sa.Config.Name,
            Interface = interfaceName,
            LocalEndpoint = sa.Local,
            RemoteEndpoint = sa.Remote,
            TunnelId = sa.VirtualIp ?? sa.Remote.Address,
            Created = sa.Created,
            EapUser = sa.EapIdentity,
            PeerId = sa.PeerIdentity?.Text,
            FortiClientUid = sa.FortiClientUid,
            AssignedAddress = sa.VirtualIp,
            AssignedNetmask = sa.VirtualIp is null ? null : sa.Config.Netmask ?? IPAddress.Broadcast,
            NatLocal = sa.NatLocal,
            NatRemote = sa.NatRemote,
            // Per gateway, as FortiOS: this instance's IKE SAs (rekeys included) and their setup times.
            IkeSa = new IkeSaCounters(1, sa.IkeSasCreated, sa.Established is null ? 0 : 1, sa.SetupTimes.Count,
                sa.SetupTimes.Min, sa.SetupTimes.Count == 0 ? 0 : sa.SetupTimes.Sum / sa.SetupTimes.Count, sa.SetupTimes.Max),
            RemoteAddressChanged = sa.RemoteAddressChanged,
            RemotePortChanged = sa.RemotePortChanged,
            Fragmentation = sa.PeerSupportsFragmentation,
            IpsecSa = new IkeSaCounters(children, sa.ChildrenCreatedTotal, children, sa.ChildrenCreatedTotal, 0, 0, 0),
            Serial = sa.Serial,
            InitiatorSpi = sa.SpiI,
            ResponderSpi = sa.SpiR,
            IsInitiator = sa.IsInitiator,
            Status = sa.State switch
            {
                IkeSaState.Established or IkeSaState.Rekeying => "established",
                IkeSaState.Deleting => "deleting",
                _ => "connecting",
            },
            Established = sa.Established,
        };
    }
}
