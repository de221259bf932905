using System.Buffers.Binary;
using PostureGate.Esp.Offload;
using PostureGate.Esp.Tests.Support;

namespace PostureGate.Esp.Tests.Offload;

public class InternetChecksumTests
{
    [Fact]
    public void Compute_MatchesTheRfc1071ReferenceForEveryLengthUpTo300AndRandomLargeOnes()
    {
        var random = new Random(1071);
        var lengths = Enumerable.Range(0, 300).Concat(Enumerable.Range(0, 50).Select(_ => random.Next(300, 66000)));
        foreach (var length in lengths)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Ipv4Packets.Checksum(data), InternetChecksum.Compute(data));
        }
    }

    [Fact]
    public void Compute_AllOnesDataAndCarriesFoldCorrectly()
    {
        var data = Enumerable.Repeat((byte)0xFF, 4096).ToArray();
        Assert.Equal(Ipv4Packets.Checksum(data), InternetChecksum.Compute(data));
        data[7] = 0xFE;
        Assert.Equal(Ipv4Packets.Checksum(data), InternetChecksum.Compute(data));
    }

    [Fact]
    public void RunningSum_OverEvenSplits_EqualsOneSum()
    {
        var data = new byte[1501];
        new Random(7).NextBytes(data);
        var sum = InternetChecksum.Add(0, data.AsSpan(0, 40));
        sum = InternetChecksum.Add(sum, data.AsSpan(40, 1000));
        sum = InternetChecksum.Add(sum, data.AsSpan(1040));
        Assert.Equal(Ipv4Packets.Checksum(data), (ushort)~InternetChecksum.Fold(sum));
    }

    [Fact]
    public void PseudoHeaderSum_GivesTheChecksumAKernelAccepts()
    {
        var segment = TcpSegments.Segment(TcpSegments.A, 123456, 999);
        var stored = BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(36));
        segment[36] = segment[37] = 0;
        var tcp = segment.AsSpan(20);
        Assert.Equal(stored, InternetChecksum.Compute(tcp, InternetChecksum.PseudoHeaderSum(segment.AsSpan(12, 8), 6, tcp.Length)));
    }

    [Fact]
    public void SetIpv4HeaderChecksum_VerifiesAfterwards()
    {
        var packet = TcpSegments.Segment(TcpSegments.A, 1, 10);
        packet[8] = 17; // TTL changed: the old checksum is stale
        Assert.NotEqual(0, Ipv4Packets.Checksum(packet.AsSpan(0, 20)));
        InternetChecksum.SetIpv4HeaderChecksum(packet.AsSpan(0, 20));
        Assert.Equal(0, Ipv4Packets.Checksum(packet.AsSpan(0, 20)));
    }
}
