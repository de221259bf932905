using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Config;
using PostureGate.Gateway.Composition;

namespace PostureGate.Gateway.Tests.Composition;

// The IKE layer formats debug lines only while someone listens: the lines must still reach a
// `diagnose debug enable` console exactly when `diagnose debug application ike -1` is set.
public class GatewayHostDebugTests
{
    private const string Config = MinimalDialup.Config;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ike_debug_lines_reach_an_attached_console_only_at_an_enabled_level()
    {
        var loaded = ConfigLoader.Parse(Config, "t.conf");
        Assert.True(loaded.Success, string.Join('\n', loaded.Diagnostics));
        var dir = Directory.CreateTempSubdirectory("pg-gw-debug");
        try
        {
            await using var host = await GatewayHost.StartAsync(loaded.Config!, new GatewayHostOptions
            {
                ControlPath = Path.Combine(dir.FullName, "gw.sock"),
                DataPlane = DataPlaneMode.Off,
                ListenAddress = IPAddress.Loopback,
                IkePort = 0,
                NatTPort = 0,
            }, NullLoggerFactory.Instance);
            var ike = host.IkeEndpoints[0];
            using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var from = (IPEndPoint)peer.LocalEndPoint!;
            var sent = 0;
            // A datagram shorter than the IKE header: "udp comes" is written, then it is dropped.
            async Task Send(int length)
            {
                peer.SendTo(new byte[length], ike);
                sent++;
                using var cts = new CancellationTokenSource(Bound);
                while (host.Ike.DroppedDatagrams < sent)
                    await Task.Delay(5, cts.Token);
            }
            // The receiving interface's real index (loopback's), as FortiOS prints it.
            var loIndex = int.Parse(File.ReadAllText("/sys/class/net/lo/ifindex").Trim());
            string Line(int length) => $"ike V=root:0: udp comes {from}->{ike},ifindex={loIndex},vrf=0,len={length}....";

            await Send(1); // nobody listens, no level
            host.Debug.SetLevel("ike", -1);
            await Send(2); // a level, nobody listens
            var console = new LineCollector();
            using var hangUp = new CancellationTokenSource();
            var attached = host.Debug.AttachAsync(console, hangUp.Token);
            await Send(3);
            Assert.True(await console.WaitForAsync(Line(3), Bound));
            host.Debug.SetLevel("ike", 0);
            await Send(4); // listening, level off
            host.Debug.SetLevel("ike", -1);
            await Send(5);
            Assert.True(await console.WaitForAsync(Line(5), Bound));
            await hangUp.CancelAsync();
            await attached;

            Assert.Equal([Line(3), Line(5)], console.Lines.Where(l => l.Contains("udp comes", StringComparison.Ordinal)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private sealed class LineCollector : TextWriter
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Lines => [.. _lines];

        public override void WriteLine(string? value) => _lines.Enqueue(value ?? "");

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public async Task<bool> WaitForAsync(string line, TimeSpan bound)
        {
            using var cts = new CancellationTokenSource(bound);
            while (!_lines.Contains(line))
            {
                if (cts.IsCancellationRequested)
                    return false;
                await Task.Delay(5, CancellationToken.None);
            }
            return true;
        }
    }
}
