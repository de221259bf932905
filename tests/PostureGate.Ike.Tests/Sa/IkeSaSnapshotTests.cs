using System.Net;
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Ike.Tests.Sa;

public class IkeSaSnapshotTests
{
    [Fact]
    public void FormatsLikeDiagnoseVpnIkeGatewayList()
    {
        var created = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        var s = new IkeSaSnapshot
        {
            Name = "FCT_EMS_TAG_ph2_0",
            PeerConfigName = "FCT_EMS_TAG_ph2",
            Interface = "vlan160 1123",
            LocalEndpoint = new IPEndPoint(IPAddress.Parse("10.160.1.1"), 4500),
            RemoteEndpoint = new IPEndPoint(IPAddress.Parse("10.160.1.197"), 55846),
            TunnelId = IPAddress.Parse("10.139.1.2"),
            Created = created,
            EapUser = "u1",
            PeerId = "10.160.1.197",
            FortiClientUid = "F8A6AFF3531843B4972CBDBEEEB30E3C",
            AssignedAddress = IPAddress.Parse("10.139.1.2"),
            AssignedNetmask = IPAddress.Broadcast,
            NatLocal = true,
            NatRemote = true,
            IkeSa = new IkeSaCounters(1, 1, 1, 1, 20, 20, 20),
            IpsecSa = new IkeSaCounters(1, 2, 1, 2, 0, 0, 0),
            Serial = 40481,
            InitiatorSpi = 0xdb9b0112a09c6850,
            ResponderSpi = 0xac673ffc75f4cdca,
            IsInitiator = false,
            Status = "established",
            Established = created.AddMilliseconds(20),
        };
        var text = s.Format(created.AddSeconds(39081));
        // Lines as in the seed document's Example 2.
        foreach (var line in new[]
        {
            "vd: root/0", "name: FCT_EMS_TAG_ph2_0", "version: 2", "interface: vlan160 1123",
            "addr: 10.160.1.1:4500 -> 10.160.1.197:55846", "tun_id: 10.139.1.2/::10.139.1.2", "created: 39081s ago", "eap-user: u1", "peer-id: 10.160.1.197",
            "FortiClient UID: F8A6AFF3531843B4972CBDBEEEB30E3C", "assigned IPv4 address: 10.139.1.2/255.255.255.255", "nat: me peer",
            "IKE SA: created 1/1  established 1/1  time 20/20/20 ms", "IPsec SA: created 1/2  established 1/2  time 0/0/0 ms",
            "  id/spi: 40481 db9b0112a09c6850/ac673ffc75f4cdca", "  direction: responder", "  status: established 39081-39081s ago = 20ms",
        })
            Assert.Contains(line + "\n", text, StringComparison.Ordinal);
        // FortiOS fields PostureGate has no value for are left out, not printed with a made-up one.
        foreach (var field in new[] { "remote_location:", "network-id:", "pending-queue:", "peer-id-auth:" })
            Assert.DoesNotContain(field, text, StringComparison.Ordinal);
    }
}
