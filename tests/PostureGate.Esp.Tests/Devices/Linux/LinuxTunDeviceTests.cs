// A real TUN device in a throw-away network namespace: an ICMP echo request written into
// the device must be answered by the namespace's kernel and read back from the device.
// Documentation addresses only (RFC 5737).
using System.Buffers.Binary;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Linux;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Devices.Linux;

public class LinuxTunDeviceTests
{
    [SkippableFact]
    public void EchoRequestWritten_EchoReplyRead()
    {
        NetnsRequirement.SkipUnlessAvailable();
        var ns = NetnsRequirement.UniqueName("pgesp");
        NetnsRequirement.Run("ip", "netns", "add", ns);
        try
        {
            using var tun = LinuxTunDevice.Create(NetnsRequirement.UniqueName("pgt"), 1400, ns);
            tun.AddAddress(System.Net.IPAddress.Parse("192.0.2.1"), 24);

            var request = new PacketBuffer();
            request.SetInner(Ipv4Packets.IcmpEcho("192.0.2.2", "192.0.2.1", identifier: 0x4747, sequence: 7));
            tun.Write([request]);

            var batch = PacketBuffer.CreateBatch(8);
            foreach (var b in batch)
                b.ResetForInner();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            PacketBuffer? reply = null;
            // The kernel may also emit its own packets (e.g. IPv6 router solicitations); find the echo reply.
            while (reply is null && !timeout.IsCancellationRequested)
            {
                var n = tun.Read(batch, timeout.Token);
                reply = batch.Take(n).FirstOrDefault(p => p.Data is [0x45, ..] && p.Data[9] == 1 && p.Data[20] == 0);
            }
            Assert.NotNull(reply);
            var data = reply.Data;
            Assert.Equal("192.0.2.1", new System.Net.IPAddress(data.Slice(12, 4)).ToString());
            Assert.Equal("192.0.2.2", new System.Net.IPAddress(data.Slice(16, 4)).ToString());
            Assert.Equal(0x4747, BinaryPrimitives.ReadUInt16BigEndian(data[24..]));
            Assert.Equal(7, BinaryPrimitives.ReadUInt16BigEndian(data[26..]));
            Assert.Equal(0, tun.WriteErrors);
        }
        finally
        {
            NetnsRequirement.Run("ip", "netns", "del", ns);
        }
    }

    [SkippableFact]
    public void NameTooLong_Rejected()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        Assert.Throws<ArgumentException>(() => LinuxTunDevice.Create("a-name-of-sixteen"));
    }
}
