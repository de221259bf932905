// LinuxUdpBind over 127.0.0.1 with 1436-octet datagrams (an AES-GCM ESP packet of a 1400-octet
// inner one): a sending thread hands batches of 64 to Send, a receiving thread takes batches of
// 64 from Receive. Measured in the same run: plain sendmmsg/recvmmsg (offloads off), GSO alone
// (the receiver segments), and GSO with GRO (udp(7)). Figures: datagrams delivered per second,
// and process CPU time (user + system, both threads and the kernel work done for them) per
// delivered datagram.
using System.Diagnostics;
using System.Net;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Linux;

namespace PostureGate.Bench.Esp;

public sealed class UdpOffloadBenchmark : IBenchmark
{
    private const int DatagramLength = 1436;
    private const int BatchSize = 64;

    public string Name => "udp-offload";

    public string Description => "LinuxUdpBind 1436-octet datagrams over 127.0.0.1: sendmmsg/recvmmsg vs UDP GSO+GRO (datagrams/s, CPU/datagram)";

    private readonly record struct Result(double Delivered, double Offered, double CpuMicrosPerDatagram, long Malformed, bool Gso, bool Gro);

    public int Run(string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("Linux only");
            return 0;
        }
        var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3.0;

        var off = Measure(UdpOffload.None, seconds);
        var gso = Measure(UdpOffload.Gso, seconds);
        var on = Measure(UdpOffload.All, seconds);

        Console.WriteLine($"{DatagramLength}-octet datagrams, batches of {BatchSize}, {seconds:F1} s each");
        Print("mmsg     (GSO/GRO off)", off);
        Print("GSO only (receiver splits)", gso);
        Print("GSO+GRO", on);
        Console.WriteLine($"  ratio GSO+GRO/off   datagrams/s {on.Delivered / off.Delivered:F2}   CPU/datagram {on.CpuMicrosPerDatagram / off.CpuMicrosPerDatagram:F2}");
        if (!on.Gso || !on.Gro)
            Console.WriteLine("  (the kernel did not offer both offloads: GSO+GRO ran without them)");
        var malformed = off.Malformed + gso.Malformed + on.Malformed;
        if (malformed > 0)
            Console.WriteLine($"  FAILED: {malformed} datagrams arrived with the wrong length or content");
        return malformed == 0 && off.Delivered > 0 && on.Delivered > 0 ? 0 : 1;
    }

    private static void Print(string label, Result r) =>
        Console.WriteLine($"  {label,-27} {r.Delivered / 1e3,8:F0} k datagrams/s delivered ({r.Delivered * DatagramLength * 8 / 1e9:F2} Gbit/s), offered {r.Offered / 1e3:F0} k/s, CPU {r.CpuMicrosPerDatagram:F3} µs/datagram");

    private static Result Measure(UdpOffload offload, double seconds)
    {
        using var receiver = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0), offload: offload);
        using var sender = LinuxUdpBind.Open(new IPEndPoint(IPAddress.Loopback, 0), offload: offload);
        using var stop = new CancellationTokenSource();
        long received = 0, sent = 0, malformed = 0;
        var rx = new Thread(() =>
        {
            var batch = PacketBuffer.CreateBatch(BatchSize);
            while (!stop.IsCancellationRequested)
            {
                var n = receiver.Receive(batch, stop.Token);
                for (var i = 0; i < n; i++)
                {
                    // Cheap check that splitting kept datagram boundaries: length and the two ends.
                    var d = batch[i].Data;
                    if (d.Length != DatagramLength || d[0] != 0x5A || d[^1] != 0xA5)
                        malformed++;
                }
                Interlocked.Add(ref received, n);
            }
        });
        var tx = new Thread(() =>
        {
            var batch = PacketBuffer.CreateBatch(BatchSize);
            foreach (var b in batch)
            {
                b.Offset = PacketBuffer.Headroom;
                b.Length = DatagramLength;
                b.Data.Fill(0x5A);
                b.Data[^1] = 0xA5;
                b.Destination = receiver.LocalEndPoint;
            }
            while (!stop.IsCancellationRequested)
            {
                sender.Send(batch);
                Interlocked.Add(ref sent, batch.Length);
            }
        });
        rx.Start();
        tx.Start();
        Thread.Sleep(300); // warm up: JIT, socket buffers
        var r0 = Interlocked.Read(ref received);
        var s0 = Interlocked.Read(ref sent);
        var cpu0 = ProcessCpu();
        var sw = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var r = Interlocked.Read(ref received) - r0;
        var sn = Interlocked.Read(ref sent) - s0;
        var cpu = ProcessCpu() - cpu0;
        var elapsed = sw.Elapsed.TotalSeconds;
        stop.Cancel();
        tx.Join();
        rx.Join();
        return new Result(r / elapsed, sn / elapsed, r > 0 ? cpu.TotalMicroseconds / r : double.NaN,
            Interlocked.Read(ref malformed), sender.UsesGso, receiver.UsesGro);
    }

    private static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
