// The libcrypto transforms hold one EVP context per SA and take no lock of their own: EspSa's
// lock serialises every Seal and Open (and Dispose). Several threads sealing through one
// outbound SA at once must still produce packets that all open, each exactly once.
using System.Collections.Concurrent;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Sad;
using PostureGate.Esp.Tests.Support;
using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Tests.Crypto;

public class OpenSslConcurrencyTests
{
    private const int Threads = 4;
    private const int PacketsPerThread = 200; // 800 in all: inside the 1024-packet replay window

    [Theory]
    [MemberData(nameof(OpenSslTestBackend.Suites), MemberType = typeof(OpenSslTestBackend))]
    public async Task ManyThreadsThroughOneSa_EveryPacketOpens(string name)
    {
        var suite = TestSuite.Get(name);
        var (outbound, inbound) = SaFactory.Pair(suite, replayWindow: 1024);
        var sealedPackets = new ConcurrentBag<(byte[] Esp, byte[] Inner)>();
        using var start = new Barrier(Threads);
        // Dedicated threads (LongRunning), so all four really run at once; a failure inside one
        // comes back through WhenAll instead of tearing down the test host.
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PacketsPerThread; i++)
            {
                var inner = Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 64 + (t * 37 + i) % 1200, fill: (byte)(t * 50 + i));
                var buffer = new PacketBuffer();
                buffer.SetInner(inner);
                if (!outbound.Seal(buffer, (byte)EspNextHeader.Ipv4))
                    throw new InvalidOperationException($"thread {t} packet {i} was not sealed");
                sealedPackets.Add((buffer.Data.ToArray(), inner));
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(Threads * PacketsPerThread, sealedPackets.Count);
        var sequences = new HashSet<uint>();
        foreach (var (esp, inner) in sealedPackets)
        {
            Assert.True(EspHeader.TryRead(esp, out var header));
            Assert.True(sequences.Add(header.SequenceNumber));
            Assert.Equal(InboundResult.Delivered, inbound.Open(esp, header.SequenceNumber, out var offset, out var length));
            Assert.Equal(inner, esp.AsSpan(offset, length).ToArray());
        }
        outbound.Dispose();
        inbound.Dispose();
    }
}
