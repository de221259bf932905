// Shared set-up for the ESP benchmarks: a gateway/client pair of data planes with one
// CHILD_SA per suite, and devices that do nothing (the pipeline alone is measured).
using System.Net;
using PostureGate.Esp;
using PostureGate.Esp.Devices;
using PostureGate.Proposals;

namespace PostureGate.Bench.Esp;

internal static class BenchSuites
{
    public static readonly (string Name, EncryptionAlgorithm Encryption, int Bits, IntegrityAlgorithm Integrity)[] All =
    [
        ("aes128gcm", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None),
        ("aes256gcm", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None),
        ("chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None),
        ("aes128-sha1", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96),
        ("aes256-sha256", EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha2_256_128),
    ];

    public static readonly IPAddress ClientVip = IPAddress.Parse("10.139.1.2");

    public static EspSaConfig Config((string Name, EncryptionAlgorithm Encryption, int Bits, IntegrityAlgorithm Integrity) s,
        uint spi, IPEndPoint peer, int replayWindow = EspSaConfig.DefaultReplayWindow)
    {
        var aead = s.Integrity == IntegrityAlgorithm.None;
        var key = new byte[s.Bits / 8 + (aead ? 4 : 0)];
        var integ = new byte[s.Integrity switch
        {
            IntegrityAlgorithm.None => 0,
            IntegrityAlgorithm.HmacSha1_96 => 20,
            IntegrityAlgorithm.HmacSha2_256_128 => 32,
            IntegrityAlgorithm.HmacSha2_384_192 => 48,
            _ => 64,
        }];
        for (var i = 0; i < key.Length; i++)
            key[i] = (byte)(spi + i);
        for (var i = 0; i < integ.Length; i++)
            integ[i] = (byte)(spi * 3 + i);
        return new EspSaConfig(spi, s.Encryption, s.Bits, s.Integrity, key, integ, false, replayWindow, peer,
            [(IPAddress.Any, IPAddress.Broadcast)], SaLifetime.Unlimited);
    }

    /// <summary>An IPv4/UDP packet of <paramref name="length"/> octets from <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public static byte[] Packet(int length, string source, string destination)
    {
        var p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte)(length >> 8);
        p[3] = (byte)length;
        p[8] = 64;
        p[9] = 17;
        IPAddress.Parse(source).TryWriteBytes(p.AsSpan(12, 4), out _);
        IPAddress.Parse(destination).TryWriteBytes(p.AsSpan(16, 4), out _);
        for (var i = 20; i < length; i++)
            p[i] = (byte)i;
        return p;
    }

    public static string Rate(double packetsPerSecond, int bytes) =>
        $"{packetsPerSecond / 1e6,6:F3} Mpps {packetsPerSecond * bytes * 8 / 1e9,6:F2} Gbit/s";
}

/// <summary>A TUN device that is never read and counts, then discards, writes.</summary>
internal sealed class NullTun : ITunDevice
{
    public long Written;
    public string Name => "null0";
    public int Mtu => 1400;
    public int Read(Span<PacketBuffer> packets, CancellationToken cancellationToken)
    {
        cancellationToken.WaitHandle.WaitOne();
        return 0;
    }
    public void Write(ReadOnlySpan<PacketBuffer> packets) => Interlocked.Add(ref Written, packets.Length);
    public void Dispose() { }
}

/// <summary>A UDP bind that is never read and discards sends.</summary>
internal sealed class NullBind : IPacketBind
{
    public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Parse("192.0.2.1"), 4500);
    public int Receive(Span<PacketBuffer> packets, CancellationToken cancellationToken)
    {
        cancellationToken.WaitHandle.WaitOne();
        return 0;
    }
    public void Send(ReadOnlySpan<PacketBuffer> packets) { }
    public void SendTo(ReadOnlySpan<byte> datagram, IPEndPoint destination) { }
    public void Dispose() { }
}
