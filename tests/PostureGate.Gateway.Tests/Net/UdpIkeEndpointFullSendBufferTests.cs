// Issue 12 "Floods": replies to spoofed on-link sources wait in the neighbour queue for ARP that
// never comes, the socket's send buffer fills, and a blocking sendto on the receive thread then
// stops the gateway from serving anyone. Reproduced with a real kernel in a throw-away network
// namespace: a veth whose far end answers no ARP, a minimal SO_SNDBUF, documentation addresses.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Esp.Tests.Support;
using PostureGate.Gateway.Net;

namespace PostureGate.Gateway.Tests.Net;

public partial class UdpIkeEndpointFullSendBufferTests
{
    private const int CLONE_NEWNET = 0x40000000;
    private static readonly IPEndPoint Unresolved = new(IPAddress.Parse("192.0.2.77"), 500);

    [SkippableFact]
    public async Task Receive_loop_keeps_serving_when_the_send_buffer_is_full()
    {
        NetnsRequirement.SkipUnlessAvailable();
        var ns = NetnsRequirement.UniqueName("pgsnd");
        NetnsRequirement.Run("ip", "netns", "add", ns);
        try
        {
            NetnsRequirement.Run("ip", "-n", ns, "link", "set", "lo", "up");
            NetnsRequirement.Run("ip", "-n", ns, "link", "add", "pga", "type", "veth", "peer", "name", "pgb");
            NetnsRequirement.Run("ip", "-n", ns, "addr", "add", "192.0.2.1/24", "dev", "pga");
            NetnsRequirement.Run("ip", "-n", ns, "link", "set", "pga", "up");
            NetnsRequirement.Run("ip", "-n", ns, "link", "set", "pgb", "up");
            // Keep the neighbour INCOMPLETE for the whole test: 120 solicitations, one a second.
            NetnsRequirement.Run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.neigh.pga.mcast_solicit=120");

            var served = Channel.CreateUnbounded<byte>();
            UdpIkeEndpoint? endpoint = null;
            // Each request is answered toward the unresolved on-link address, as a gateway answers an
            // IKE_SA_INIT from a forged on-link source.
            void Handle(ReadOnlyMemory<byte> m, IPEndPoint local, IPEndPoint remote, int interfaceIndex)
            {
                endpoint!.SendIke(new byte[1200], Unresolved);
                served.Writer.TryWrite(m.Span[0]);
            }
            var (ep, client) = InNamespace(ns, () =>
            {
                var e = UdpIkeEndpoint.Bind(new IPEndPoint(IPAddress.Any, 0), natT: false, Handle, NullLogger.Instance);
                e.Socket.SendBufferSize = 1; // the kernel's minimum, a few datagrams
                var c = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                c.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                return (e, c);
            });
            endpoint = ep;
            await using (ep)
            using (client)
            {
                var target = new IPEndPoint(IPAddress.Loopback, ep.Local.Port);
                for (var i = 0; i < 40; i++)
                    client.SendTo(new byte[] { 1, 0, 0, 0 }, target);
                client.SendTo(new byte[] { 2, 7, 7, 7 }, target);

                // The receive thread blocked in sendto until the neighbour failed (two minutes here):
                // the legitimate request behind the spoofed ones was never read. Its reply may well be
                // dropped too while the buffer is full (IKE retransmits); being read is what counts.
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var count = 0;
                while (await served.Reader.ReadAsync(cts.Token) != 2)
                    count++;
                Assert.Equal(40, count);
                Assert.True(ep.SendDropped > 0, "the full send buffer dropped replies instead of waiting");
            }
        }
        finally
        {
            NetnsRequirement.Run("ip", "netns", "del", ns);
        }
    }

    // Sockets belong to the network namespace of the thread that creates them: a short-lived thread
    // enters the namespace (setns(2) changes only the calling thread) and creates them there.
    private static T InNamespace<T>(string ns, Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{ns}");
                if (SetNs((int)handle.DangerousGetHandle(), CLONE_NEWNET) != 0)
                    throw new InvalidOperationException($"setns: errno {Marshal.GetLastPInvokeError()}");
                result = create();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            throw failure;
        return result!;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
