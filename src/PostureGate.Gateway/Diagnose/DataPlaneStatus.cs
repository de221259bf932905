// `diagnose vpn ipsec status`: where FortiOS lists its crypto engines and their counters,
// PostureGate lists each userspace data plane: the TUN device and its offloads, the
// ESP-in-UDP socket, and the datagrams that belonged to no SA. The batch figures say how
// well packet I/O is amortised (packets per system call), which is what bounds throughput.
using System.Globalization;
using System.Text;
using PostureGate.Esp;
using PostureGate.Esp.Devices.Linux;
using Offloads = PostureGate.Esp.Devices.Linux.TunOffloads;

namespace PostureGate.Gateway.Diagnose;

public sealed record DataPlaneStatus(
    string Phase1, string Udp, string Tun, int Mtu, string Crypto, int BatchSize, int PipelineDepth, double ModerationMicroseconds,
    bool UdpGso, bool UdpGro, long UdpSendErrors, string TunOffloads,
    long TunWriteCalls, long TunPacketsWritten, long TunGsoWrites, long TunMergedSegments, long TunWriteErrors,
    long TunReadCalls, long TunPacketsRead, long TunSplitReads, long TunReadDrops,
    EspDataPlaneCounters Esp)
{
    internal static DataPlaneStatus Of(string phase1, System.Net.IPEndPoint local, LinuxTunDevice tun, LinuxUdpBind bind, EspDataPlane esp)
    {
        var o = esp.Options;
        var (writeCalls, written) = tun.Written;
        var (gsoWrites, merged) = tun.MergedWrites;
        var (readCalls, read) = tun.ReadTotals;
        return new DataPlaneStatus(phase1, local.ToString(), tun.Name, tun.Mtu, esp.CryptoBackend, o.BatchSize, o.PipelineDepth,
            o.Moderation.TotalMicroseconds, bind.UsesGso, bind.UsesGro, bind.SendErrors, OffloadNames(tun.Offloads),
            writeCalls, written, gsoWrites, merged, tun.WriteErrors, readCalls, read, tun.SplitReads, tun.ReadDrops, esp.Counters);
    }

    public string Format()
    {
        var b = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        b.Append(c, $"data plane {Phase1}: esp-in-udp {Udp}, tun {Tun} mtu={Mtu}\n");
        b.Append(c, $"  crypto: {Crypto}; batch={BatchSize} threads-per-direction={(PipelineDepth > 0 ? 2 : 1)} moderation={ModerationMicroseconds:0}us\n");
        b.Append(c, $"  udp offloads: gso={(UdpGso ? "on" : "off")} gro={(UdpGro ? "on" : "off")} send-errors={UdpSendErrors}\n");
        b.Append(c, $"  tun offloads: {TunOffloads}\n");
        b.Append(c, $"  tun write: calls={TunWriteCalls} packets={TunPacketsWritten} per-call={Ratio(TunPacketsWritten, TunWriteCalls)} gso-writes={TunGsoWrites} merged-segments={TunMergedSegments} errors={TunWriteErrors}\n");
        b.Append(c, $"  tun read: calls={TunReadCalls} packets={TunPacketsRead} per-call={Ratio(TunPacketsRead, TunReadCalls)} split-reads={TunSplitReads} drops={TunReadDrops}\n");
        b.Append(c, $"  esp: unknown-spi={Esp.UnknownSpi} invalid={Esp.InvalidDatagrams} ike={Esp.IkeDatagrams} nat-keepalive={Esp.NatKeepalives} no-route={Esp.NoRoute} outbound-drops={Esp.OutboundDrops}\n");
        return b.ToString();
    }

    private static string Ratio(long a, long b) => b == 0 ? "0" : ((double)a / b).ToString("F1", CultureInfo.InvariantCulture);

    private static string OffloadNames(Offloads o) => o == Offloads.None
        ? "none"
        : string.Join(',', new[] { (Offloads.MergeWrites, "merge-writes(gro)"), (Offloads.SplitReads, "split-reads(tso4)") }
            .Where(x => o.HasFlag(x.Item1)).Select(x => x.Item2));
}
