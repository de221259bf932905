// TUN offloads against the real kernel: a run of TCP segments written through the device is
// merged into one GSO packet, the namespace's kernel forwards it (TTL - 1) back out of the
// same device, and the read side splits what comes back. Every segment must return exactly
// as sent but for the TTL, whether or not the offloads are on. Documentation addresses only.
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Linux;
using PostureGate.Esp.Offload;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Devices.Linux;

public class LinuxTunOffloadTests
{
    private static readonly TcpSegments.Flow Through = new("192.0.2.2", "198.51.100.9", 40000, 5201);

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void SegmentsForwardedBackThroughTheDevice_ComeBackUnchangedButForTtl(bool offload)
    {
        NetnsRequirement.SkipUnlessAvailable();
        var ns = NetnsRequirement.UniqueName("pgoff");
        NetnsRequirement.Run("ip", "netns", "add", ns);
        try
        {
            using var tun = LinuxTunDevice.Create(NetnsRequirement.UniqueName("pgt"), 1400, ns, offload);
            Assert.Equal(offload ? TunOffloads.MergeWrites | TunOffloads.SplitReads : TunOffloads.None, tun.Offloads);
            tun.AddAddress(System.Net.IPAddress.Parse("192.0.2.1"), 24);
            NetnsRequirement.Run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0", $"net.ipv4.conf.{tun.Name}.send_redirects=0");
            NetnsRequirement.Run("ip", "-n", ns, "route", "add", "198.51.100.0/24", "dev", tun.Name);

            var run = TcpSegments.Run(Through, 20, mss: 1300, lastPayload: 200, lastFlags: 0x18);
            tun.Write(TcpSegments.Buffers(run));

            var expected = run.Select(s =>
            {
                var e = s.ToArray();
                e[8]--;
                InternetChecksum.SetIpv4HeaderChecksum(e.AsSpan(0, 20));
                return e;
            }).ToList();
            var got = new List<byte[]>();
            var batch = PacketBuffer.CreateBatch(16);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (got.Count < expected.Count && !timeout.IsCancellationRequested)
            {
                foreach (var b in batch)
                    b.ResetForInner();
                var n = tun.Read(batch, timeout.Token);
                // Keep only the forwarded flow (the kernel may send its own packets on the link).
                got.AddRange(batch.Take(n).Select(b => b.Data.ToArray()).Where(p => p.Length > 40 && p[9] == 6 && p[16] == 198));
            }
            Assert.Equal(expected, got);
            Assert.All(got, p => Assert.True(TcpSegments.ChecksumsValid(p)));
            Assert.Equal(0, tun.WriteErrors);
            if (offload)
            {
                Assert.Equal((1L, 20L), tun.MergedWrites);
                Assert.Equal(1, tun.SplitReads); // the kernel kept the GSO packet whole to a TSO4 device
            }
        }
        finally
        {
            NetnsRequirement.Run("ip", "netns", "del", ns);
        }
    }
}
