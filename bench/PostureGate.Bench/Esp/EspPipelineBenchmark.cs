// Packets per second through the ESP pipeline alone, 1400-octet inner packets, per suite:
//   out: (fake) TUN read copy → SAD lookup → seal in place      (EspDataPlane.ProcessOutbound)
//   in:  (fake) UDP receive copy → SAD → replay → open → checks (EspDataPlane.ProcessInbound)
// once with the libcrypto EVP transforms (keyed once per SA) and once with the BCL ones, beside
// a baseline of raw AES-128-GCM sealing of the same bytes (BCL AesGcm), with the ratios and
// bytes allocated per packet. The five measurements of a suite take turns in short slices and
// each keeps its best slice, so a neighbour's load on a shared machine skews no ratio.
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using PostureGate.Esp;
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Devices;
using Suite = (string Name, PostureGate.Proposals.EncryptionAlgorithm Encryption, int Bits, PostureGate.Proposals.IntegrityAlgorithm Integrity);

namespace PostureGate.Bench.Esp;

public sealed class EspPipelineBenchmark : IBenchmark
{
    private const int PacketLength = 1400;
    private const int Batch = 64;
    private const int Slices = 5;

    public string Name => "esp-pipeline";

    public string Description => "ESP seal/open pipeline per suite (1400 B), OpenSSL EVP vs BCL transforms vs raw AesGcm; allocations per packet";

    public int Run(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 1.0;
        var rc = 0;
        // The bench is its own composition root: PG_ESP_CRYPTO=bcl still limits it to the BCL.
        var chosen = EspTransform.Resolve(DataPlaneTuning.FromVariables(Environment.GetEnvironmentVariable).Esp.Crypto);
        var backends = chosen == EspCryptoBackend.OpenSsl
            ? new[] { EspCryptoBackend.OpenSsl, EspCryptoBackend.Bcl }
            : [EspCryptoBackend.Bcl];
        Console.WriteLine($"default ESP crypto: {chosen} (PG_ESP_CRYPTO=bcl forces the BCL and leaves the OpenSSL column empty)");
        Console.WriteLine($"best of {Slices} interleaved slices of {seconds / Slices:F2} s per figure");
        Console.WriteLine($"{"suite",-17} {"dir",-3} {"OpenSSL EVP",-27} {"BCL",-27} {"raw AesGcm",-27} {"ossl/bcl",8} {"ossl/raw",8} {"bcl/raw",8}  alloc/pkt");
        foreach (var suite in BenchSuites.All)
        {
            var cells = new List<Cell>();
            try
            {
                foreach (var backend in backends)
                {
                    cells.Add(Outbound(suite, backend));
                    cells.Add(Inbound(suite, backend));
                }
                var baseline = Baseline();
                cells.Add(baseline);
                foreach (var cell in cells)
                    cell.WarmUp();
                for (var slice = 0; slice < Slices; slice++)
                    foreach (var cell in cells)
                        cell.Measure(seconds / Slices);

                foreach (var outbound in (ReadOnlySpan<bool>)[true, false])
                {
                    var openSsl = cells.FirstOrDefault(c => c.Backend == EspCryptoBackend.OpenSsl && c.Outbound == outbound);
                    var bcl = cells.First(c => c.Backend == EspCryptoBackend.Bcl && c.Outbound == outbound);
                    var alloc = Math.Max(openSsl?.AllocPerPacket ?? 0, bcl.AllocPerPacket);
                    Console.WriteLine($"{suite.Name,-17} {(outbound ? "out" : "in"),-3} " +
                        $"{(openSsl is null ? "-" : BenchSuites.Rate(openSsl.Best, PacketLength)),-27} {BenchSuites.Rate(bcl.Best, PacketLength),-27} " +
                        $"{BenchSuites.Rate(baseline.Best, PacketLength),-27} {Ratio(openSsl?.Best, bcl.Best),8} {Ratio(openSsl?.Best, baseline.Best),8} " +
                        $"{Ratio(bcl.Best, baseline.Best),8}  {alloc,5:F2} B");
                }
                foreach (var cell in cells.Where(c => c.Backend is not null))
                {
                    if (!cell.Ok())
                    {
                        Console.WriteLine($"  FAIL: {suite.Name} ({cell.Backend}) pipeline dropped or corrupted packets");
                        rc = 1;
                    }
                    if (cell.AllocPerPacket > 1)
                    {
                        Console.WriteLine($"  FAIL: {suite.Name} ({cell.Backend}) allocates per packet");
                        rc = 1;
                    }
                }
            }
            finally
            {
                foreach (var cell in cells)
                    cell.Dispose();
            }
        }
        return rc;
    }

    private static string Ratio(double? a, double b) =>
        a is > 0 && b > 0 ? (a.Value / b).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-";

    private static EspDataPlane Gateway(Suite suite, int replayWindow, EspCryptoBackend backend)
    {
        var plane = new EspDataPlane(new NullTun(), new NullBind(), new EspDataPlaneOptions { Crypto = backend });
        var peer = new IPEndPoint(IPAddress.Parse("198.51.100.20"), 55846);
        plane.AddChildSa(BenchSuites.Config(suite, 0x1000, peer, replayWindow), BenchSuites.Config(suite, 0x2000, peer), BenchSuites.ClientVip, 1);
        return plane;
    }

    private static Cell Outbound(Suite suite, EspCryptoBackend backend)
    {
        var gateway = Gateway(suite, EspSaConfig.DefaultReplayWindow, backend);
        var inner = BenchSuites.Packet(PacketLength, "192.0.2.7", "10.139.1.2");
        var batch = PacketBuffer.CreateBatch(Batch);
        var send = new PacketBuffer[Batch];
        var ok = true;

        long Round()
        {
            foreach (var b in batch)
                b.SetInner(inner); // the copy a TUN read makes
            var n = gateway.ProcessOutbound(batch, send);
            ok &= n == Batch;
            return n;
        }

        return new Cell(backend, true, Round, () => ok, gateway.Dispose);
    }

    private static Cell Inbound(Suite suite, EspCryptoBackend backend)
    {
        // The client seals one batch; the gateway opens copies of it again and again, so its
        // replay window is off here (a real stream would never repeat sequence numbers).
        var gateway = Gateway(suite, replayWindow: 0, backend);
        using var client = new EspDataPlane(new NullTun(), new NullBind(), new EspDataPlaneOptions { Crypto = backend });
        var gw = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4500);
        client.AddChildSa(BenchSuites.Config(suite, 0x2000, gw), BenchSuites.Config(suite, 0x1000, gw), IPAddress.Any, 1);
        var inner = BenchSuites.Packet(PacketLength, "10.139.1.2", "192.0.2.7");
        var sealedBatch = PacketBuffer.CreateBatch(Batch);
        var scratch = new PacketBuffer[Batch];
        foreach (var b in sealedBatch)
            b.SetInner(inner);
        var ok = client.ProcessOutbound(sealedBatch, scratch) == Batch;
        var wire = sealedBatch.Select(b => b.Data.ToArray()).ToArray();

        var received = PacketBuffer.CreateBatch(Batch);
        var deliver = new PacketBuffer[Batch];

        long Round()
        {
            for (var i = 0; i < Batch; i++)
            {
                // The copy a UDP receive makes.
                wire[i].CopyTo(received[i].Array, 0);
                received[i].Offset = 0;
                received[i].Length = wire[i].Length;
            }
            var n = gateway.ProcessInbound(received, deliver);
            ok &= n == Batch && deliver[0].Data.SequenceEqual(inner);
            return n;
        }

        return new Cell(backend, false, Round, () => ok, gateway.Dispose);
    }

    private static Cell Baseline()
    {
        var gcm = new AesGcm(new byte[16], 16);
        var data = BenchSuites.Packet(PacketLength, "10.139.1.2", "192.0.2.7");
        var nonce = new byte[12];
        var tag = new byte[16];
        var counter = 0L;

        long Round()
        {
            for (var i = 0; i < Batch; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), ++counter);
                gcm.Encrypt(nonce, data, data, tag);
            }
            return Batch;
        }

        return new Cell(null, true, Round, () => true, gcm.Dispose);
    }

    /// <summary>One measured figure: a round of packets, its best rate over the slices, its allocations.</summary>
    private sealed class Cell(EspCryptoBackend? backend, bool outbound, Func<long> round, Func<bool> ok, Action dispose)
    {
        private long _packets;
        private long _allocated;

        public EspCryptoBackend? Backend => backend;
        public bool Outbound => outbound;
        public Func<bool> Ok => ok;
        public double Best { get; private set; }
        public double AllocPerPacket => _packets == 0 ? 0 : (double)_allocated / _packets;

        // Long enough for tiered compilation to reach the optimised code.
        public void WarmUp()
        {
            var warm = Stopwatch.StartNew();
            while (warm.ElapsedMilliseconds < 300)
                round();
        }

        public void Measure(double seconds)
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long packets = 0;
            var sw = Stopwatch.StartNew();
            var limit = (long)(seconds * Stopwatch.Frequency);
            while (sw.ElapsedTicks < limit)
                packets += round();
            var elapsed = sw.Elapsed.TotalSeconds;
            _allocated += GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            _packets += packets;
            Best = Math.Max(Best, packets / elapsed);
        }

        public void Dispose() => dispose();
    }
}
