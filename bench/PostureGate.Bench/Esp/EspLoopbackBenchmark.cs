// End to end over loopback UDP, 1400-octet inner packets: a client data plane reads from a
// generating TUN, seals, sendmmsg; the gateway recvmmsg, opens, writes to a counting TUN.
// Both planes run their real loops (four threads on this machine's cores). Beside it, in
// the same run, the same binds moving datagrams of the same outer size with no ESP at all.
using System.Diagnostics;
using System.Net;
using PostureGate.Esp;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Linux;

namespace PostureGate.Bench.Esp;

public sealed class EspLoopbackBenchmark : IBenchmark
{
    private const int InnerLength = 1400;

    public string Name => "esp-loopback";

    public string Description => "ESP client→gateway over 127.0.0.1 (recvmmsg/sendmmsg) in Gbit/s, vs plain UDP";

    public int Run(string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("Linux only");
            return 0;
        }
        var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3.0;
        var suite = args.Length > 1 ? BenchSuites.All.Single(x => x.Name == args[1]) : BenchSuites.All[0];

        var (espDelivered, espSent) = MeasureEsp(suite, seconds);
        // ESP in UDP adds 8 (header) + 8 (IV) + 2..5 (trailer) + 16 (ICV) for AES-GCM: ~1436 octets.
        var (udpDelivered, udpSent) = MeasurePlainUdp(InnerLength + 36, seconds);

        Console.WriteLine($"suite {suite.Name}, {seconds:F1} s each");
        Console.WriteLine($"  esp   delivered {BenchSuites.Rate(espDelivered, InnerLength)} (inner)  offered {BenchSuites.Rate(espSent, InnerLength)}");
        Console.WriteLine($"  udp   delivered {BenchSuites.Rate(udpDelivered, InnerLength)} (same datagrams, no ESP) offered {BenchSuites.Rate(udpSent, InnerLength)}");
        Console.WriteLine($"  ratio esp/udp   {espDelivered / udpDelivered:F2}");
        return espDelivered > 0 ? 0 : 1;
    }

    private static (double Delivered, double Offered) MeasureEsp(
        (string Name, PostureGate.Proposals.EncryptionAlgorithm, int, PostureGate.Proposals.IntegrityAlgorithm) suite, double seconds)
    {
        using var gatewayBind = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var clientBind = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        var counting = new NullTun();
        var generator = new GeneratingTun(BenchSuites.Packet(InnerLength, "10.139.1.2", "192.0.2.7"));
        using var gateway = new EspDataPlane(counting, gatewayBind);
        using var client = new EspDataPlane(generator, clientBind);
        gateway.AddChildSa(BenchSuites.Config(suite, 0x1000, clientBind.LocalEndPoint, replayWindow: 4096),
            BenchSuites.Config(suite, 0x2000, clientBind.LocalEndPoint), BenchSuites.ClientVip, 1);
        client.AddChildSa(BenchSuites.Config(suite, 0x2000, gatewayBind.LocalEndPoint),
            BenchSuites.Config(suite, 0x1000, gatewayBind.LocalEndPoint), IPAddress.Any, 1);

        gateway.Start();
        client.Start();
        Thread.Sleep(300); // warm up
        var delivered0 = Interlocked.Read(ref counting.Written);
        var offered0 = Interlocked.Read(ref generator.Packets);
        var sw = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var delivered = Interlocked.Read(ref counting.Written) - delivered0;
        var offered = Interlocked.Read(ref generator.Packets) - offered0;
        var elapsed = sw.Elapsed.TotalSeconds;
        return (delivered / elapsed, offered / elapsed);
    }

    private static (double Delivered, double Offered) MeasurePlainUdp(int datagramLength, double seconds)
    {
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = new CancellationTokenSource();
        long received = 0, sent = 0;
        var rx = new Thread(() =>
        {
            var batch = PacketBuffer.CreateBatch(64);
            while (!stop.IsCancellationRequested)
                Interlocked.Add(ref received, receiver.Receive(batch, stop.Token));
        });
        var tx = new Thread(() =>
        {
            var batch = PacketBuffer.CreateBatch(64);
            foreach (var b in batch)
            {
                b.Offset = PacketBuffer.Headroom;
                b.Length = datagramLength;
                b.Array.AsSpan(b.Offset, b.Length).Fill(0x5A);
                b.Destination = receiver.LocalEndPoint;
            }
            while (!stop.IsCancellationRequested)
            {
                // Same per-batch work the ESP sender does besides crypto: a copy per packet.
                foreach (var b in batch)
                    b.Array.AsSpan(b.Offset, b.Length).CopyTo(b.Array.AsSpan(b.Offset, b.Length));
                sender.Send(batch);
                Interlocked.Add(ref sent, batch.Length);
            }
        });
        rx.Start();
        tx.Start();
        Thread.Sleep(300);
        var r0 = Interlocked.Read(ref received);
        var s0 = Interlocked.Read(ref sent);
        var sw = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var r = Interlocked.Read(ref received) - r0;
        var s = Interlocked.Read(ref sent) - s0;
        var elapsed = sw.Elapsed.TotalSeconds;
        stop.Cancel();
        tx.Join();
        rx.Join();
        return (r / elapsed, s / elapsed);
    }

    /// <summary>Yields the same inner packet as fast as it is asked for.</summary>
    private sealed class GeneratingTun(byte[] packet) : ITunDevice
    {
        public long Packets;
        public string Name => "gen0";
        public int Mtu => 1400;
        public int Read(Span<PacketBuffer> packets, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested)
                return 0;
            foreach (var p in packets)
            {
                packet.CopyTo(p.Array.AsSpan(p.Offset));
                p.Length = packet.Length;
            }
            Interlocked.Add(ref Packets, packets.Length);
            return packets.Length;
        }
        public void Write(ReadOnlySpan<PacketBuffer> packets) { }
        public void Dispose() { }
    }
}
