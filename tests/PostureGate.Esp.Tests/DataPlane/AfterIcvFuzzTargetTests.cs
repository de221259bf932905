// The ESP-after-ICV fuzz target really gets past the integrity check: a well-formed inner packet
// from the tunnel's address is delivered, the same packet from another inner source or with a bad
// trailer is not, and mutations of the seeds never throw.
using System.Buffers.Binary;

namespace PostureGate.Esp.Tests.DataPlane;

public class AfterIcvFuzzTargetTests
{
    /// <summary>flags ‖ IPv4/UDP from <paramref name="source"/> to 203.0.113.10 ‖ RFC 4303 §2.4 trailer (Next Header 4).</summary>
    private static byte[] Input(byte flags, byte[] source, byte nextHeader = 4)
    {
        var packet = new byte[20 + 8 + 4];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        source.CopyTo(packet, 12);
        byte[] destination = [203, 0, 113, 10];
        destination.CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 12);
        var padLength = (4 - (packet.Length + 2) % 4) % 4;
        return [flags, .. packet, .. Enumerable.Range(1, padLength).Select(i => (byte)i), (byte)padLength, nextHeader];
    }

    private static readonly byte[] VirtualIp = [192, 0, 2, 200];

    [Fact]
    public void AWellFormedInnerPacket_FromTheTunnelsAddress_IsDelivered() =>
        Assert.Equal(1, AfterIcvFuzzTarget.Run(Input(0, VirtualIp)));

    [Fact]
    public void AnotherInnerSource_IsDropped_UnlessTheFlagRewritesIt()
    {
        Assert.Equal(0, AfterIcvFuzzTarget.Run(Input(0, [10, 0, 0, 1])));
        Assert.Equal(1, AfterIcvFuzzTarget.Run(Input(1, [10, 0, 0, 1])));
    }

    [Fact]
    public void ADummyPacket_OrAMismatchedNextHeader_IsNotDelivered()
    {
        Assert.Equal(0, AfterIcvFuzzTarget.Run(Input(0, VirtualIp, nextHeader: 59)));
        Assert.Equal(0, AfterIcvFuzzTarget.Run(Input(0, VirtualIp, nextHeader: 41)));
    }

    [Fact]
    public void Mutations_NeverThrow()
    {
        var random = new Random(4303);
        var seed = Input(1, VirtualIp);
        for (var i = 0; i < 3000; i++)
        {
            var input = (byte[])seed.Clone();
            for (var f = random.Next(1, 4); f > 0; f--)
                input[random.Next(1, input.Length)] = (byte)random.Next(256);
            if (random.Next(6) == 0)
                input = input[..random.Next(1, input.Length + 1)];
            AfterIcvFuzzTarget.Fuzz(input);
        }
    }
}
