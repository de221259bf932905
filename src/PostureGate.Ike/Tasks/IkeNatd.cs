// RFC 7296 §2.23 NAT detection: NAT_DETECTION_SOURCE_IP / _DESTINATION_IP carry
// SHA-1(SPIi | SPIr | IP address | port). A mismatch on the source hash means the peer is
// behind a NAT (strongSwan with encap=yes fakes it to force UDP encapsulation); on the
// destination hash, that we are.
using System.Net;
using System.Security.Cryptography;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tasks;

internal static class IkeNatd
{
    private static byte[] Hash(ulong spiI, ulong spiR, IPEndPoint endpoint) => NatDetection.ComputeHash(spiI, spiR, endpoint);

    /// <summary>The two notifies for a message from <paramref name="local"/> to <paramref name="remote"/>.</summary>
    public static IEnumerable<IkePayload> Build(ulong spiI, ulong spiR, IPEndPoint local, IPEndPoint remote, bool fakeSource)
    {
        var source = fakeSource ? RandomNumberGenerator.GetBytes(20) : Hash(spiI, spiR, local);
        yield return new NotifyPayload(NotifyType.NatDetectionSourceIp, source);
        yield return new NotifyPayload(NotifyType.NatDetectionDestinationIp, Hash(spiI, spiR, remote));
    }

    /// <summary>
    /// Evaluates the peer's notifies (SPIs as in that message's header). Returns false when the peer sent
    /// none (no NAT-T support): then both flags stay false.
    /// </summary>
    public static bool Check(IkeMessage message, ulong spiI, ulong spiR, IPEndPoint local, IPEndPoint remote, out bool peerBehindNat, out bool weBehindNat)
    {
        peerBehindNat = weBehindNat = false;
        var sources = message.FindAll<NotifyPayload>().Where(n => n.NotifyType == NotifyType.NatDetectionSourceIp).ToList();
        var dest = message.FindNotify(NotifyType.NatDetectionDestinationIp);
        if (sources.Count == 0 || dest is null)
            return false;
        peerBehindNat = !NatDetection.AnyMatches(sources.Select(s => s.Data), spiI, spiR, remote);
        weBehindNat = !NatDetection.Matches(dest.Data, spiI, spiR, local);
        return true;
    }
}
