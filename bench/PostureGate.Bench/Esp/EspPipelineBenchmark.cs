// Packets per second through the ESP pipeline alone, 1400-octet inner packets, per suite:
//   out: (fake) TUN read copy → SAD lookup → seal in place      (EspDataPlane.ProcessOutbound)
//   in:  (fake) UDP receive copy → SAD → replay → open → checks (EspDataPlane.ProcessInbound)
// once with the libcrypto EVP transforms (keyed once per SA) and once with the BCL ones, in the
// same run, beside a baseline of raw AES-128-GCM sealing of the same bytes (BCL AesGcm), with
// the ratios, and bytes allocated per packet.
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using PostureGate.Esp;
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Devices;

namespace PostureGate.Bench.Esp;

public sealed class EspPipelineBenchmark : IBenchmark
{
    private const int PacketLength = 1400;
    private const int Batch = 64;

    public string Name => "esp-pipeline";

    public string Description => "ESP seal/open pipeline per suite (1400 B), OpenSSL EVP vs BCL transforms vs raw AesGcm; allocations per packet";

    public int Run(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 1.0;
        var rc = 0;
        var chosen = EspTransform.DefaultBackend;
        var backends = chosen == EspCryptoBackend.OpenSsl
            ? new[] { EspCryptoBackend.OpenSsl, EspCryptoBackend.Bcl }
            : [EspCryptoBackend.Bcl];
        Console.WriteLine($"default ESP crypto: {chosen} (PG_ESP_CRYPTO=bcl forces the BCL and leaves the OpenSSL column empty)");
        Console.WriteLine($"{"suite",-17} {"dir",-3} {"OpenSSL EVP",-27} {"BCL",-27} {"raw AesGcm",-27} {"ossl/bcl",8} {"ossl/raw",8} {"bcl/raw",8}  alloc/pkt");
        try
        {
            foreach (var suite in BenchSuites.All)
            {
                var rates = new Dictionary<(EspCryptoBackend, bool Out), double>();
                double alloc = 0;
                foreach (var backend in backends)
                {
                    EspTransform.DefaultBackend = backend;
                    var (outRate, outAlloc, outOk) = MeasureOutbound(suite, seconds);
                    var (inRate, inAlloc, inOk) = MeasureInbound(suite, seconds);
                    rates[(backend, true)] = outRate;
                    rates[(backend, false)] = inRate;
                    alloc = Math.Max(alloc, Math.Max(outAlloc, inAlloc));
                    if (!outOk || !inOk)
                    {
                        Console.WriteLine($"  FAIL: {suite.Name} ({backend}) pipeline dropped or corrupted packets");
                        rc = 1;
                    }
                    if (outAlloc > 1 || inAlloc > 1)
                    {
                        Console.WriteLine($"  FAIL: {suite.Name} ({backend}) allocates per packet");
                        rc = 1;
                    }
                }
                var baseline = MeasureBaseline(seconds);
                foreach (var outbound in (ReadOnlySpan<bool>)[true, false])
                {
                    var openSsl = rates.GetValueOrDefault((EspCryptoBackend.OpenSsl, outbound));
                    var bcl = rates[(EspCryptoBackend.Bcl, outbound)];
                    Console.WriteLine($"{suite.Name,-17} {(outbound ? "out" : "in"),-3} " +
                        $"{(openSsl > 0 ? BenchSuites.Rate(openSsl, PacketLength) : "-"),-27} {BenchSuites.Rate(bcl, PacketLength),-27} " +
                        $"{BenchSuites.Rate(baseline, PacketLength),-27} {Ratio(openSsl, bcl),8} {Ratio(openSsl, baseline),8} {Ratio(bcl, baseline),8}  {alloc,5:F2} B");
                }
            }
        }
        finally
        {
            EspTransform.DefaultBackend = chosen;
        }
        return rc;
    }

    private static string Ratio(double a, double b) => a > 0 && b > 0 ? (a / b).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-";

    private static EspDataPlane Gateway((string, PostureGate.Proposals.EncryptionAlgorithm, int, PostureGate.Proposals.IntegrityAlgorithm) suite, int replayWindow)
    {
        var plane = new EspDataPlane(new NullTun(), new NullBind());
        var peer = new IPEndPoint(IPAddress.Parse("198.51.100.20"), 55846);
        plane.AddChildSa(BenchSuites.Config(suite, 0x1000, peer, replayWindow), BenchSuites.Config(suite, 0x2000, peer), BenchSuites.ClientVip, 1);
        return plane;
    }

    private static (double Rate, double AllocPerPacket, bool Ok) MeasureOutbound(
        (string, PostureGate.Proposals.EncryptionAlgorithm, int, PostureGate.Proposals.IntegrityAlgorithm) suite, double seconds)
    {
        using var gateway = Gateway(suite, EspSaConfig.DefaultReplayWindow);
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

        return Measure(Round, seconds, ok: () => ok);
    }

    private static (double Rate, double AllocPerPacket, bool Ok) MeasureInbound(
        (string, PostureGate.Proposals.EncryptionAlgorithm, int, PostureGate.Proposals.IntegrityAlgorithm) suite, double seconds)
    {
        // The client seals one batch; the gateway opens copies of it again and again, so its
        // replay window is off here (a real stream would never repeat sequence numbers).
        using var gateway = Gateway(suite, replayWindow: 0);
        using var client = new EspDataPlane(new NullTun(), new NullBind());
        var gw = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4500);
        client.AddChildSa(BenchSuites.Config(suite, 0x2000, gw), BenchSuites.Config(suite, 0x1000, gw), IPAddress.Any, 1);
        var inner = BenchSuites.Packet(PacketLength, "10.139.1.2", "192.0.2.7");
        var sealedBatch = PacketBuffer.CreateBatch(Batch);
        var scratch = new PacketBuffer[Batch];
        foreach (var b in sealedBatch)
            b.SetInner(inner);
        if (client.ProcessOutbound(sealedBatch, scratch) != Batch)
            return (0, 0, false);
        var wire = sealedBatch.Select(b => b.Data.ToArray()).ToArray();

        var received = PacketBuffer.CreateBatch(Batch);
        var deliver = new PacketBuffer[Batch];
        var ok = true;

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

        return Measure(Round, seconds, ok: () => ok);
    }

    private static double MeasureBaseline(double seconds)
    {
        using var gcm = new AesGcm(new byte[16], 16);
        var data = BenchSuites.Packet(PacketLength, "10.139.1.2", "192.0.2.7");
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> tag = stackalloc byte[16];
        var round = 0L;
        long sealedCount = 0;
        var sw = Stopwatch.StartNew();
        var limit = (long)(seconds * Stopwatch.Frequency);
        while (sw.ElapsedTicks < limit)
        {
            for (var i = 0; i < Batch; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(nonce[4..], ++round);
                gcm.Encrypt(nonce, data, data, tag);
            }
            sealedCount += Batch;
        }
        return sealedCount / sw.Elapsed.TotalSeconds;
    }

    private static (double Rate, double AllocPerPacket, bool Ok) Measure(Func<long> round, double seconds, Func<bool> ok)
    {
        // Warm up long enough for tiered compilation to reach the optimised code.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300)
            round();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long packets = 0;
        var sw = Stopwatch.StartNew();
        var limit = (long)(seconds * Stopwatch.Frequency);
        while (sw.ElapsedTicks < limit)
            packets += round();
        var elapsed = sw.Elapsed.TotalSeconds;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return (packets / elapsed, packets == 0 ? 0 : (double)allocated / packets, ok());
    }
}
