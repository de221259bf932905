// RFC 4303 §3.4 inbound processing of one SA: what is dropped, how it is counted, and
// that a dropped packet changes no SA state.
using System.Buffers.Binary;
using System.Net;
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Sad;
using PostureGate.Esp.Tests.Crypto;
using PostureGate.Esp.Tests.Support;
using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Tests.Sad;

public class InboundSaTests
{
    private static readonly byte[] Inner = Ipv4Packets.Udp("10.139.1.2", "192.0.2.1", 64);

    public static TheoryData<string, int> TamperCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var suite in TestSuite.All)
        {
            data.Add(suite.Name, -1);  // last ICV octet
            data.Add(suite.Name, 30);  // a payload octet
            data.Add(suite.Name, 5);   // the sequence number (authenticated, not encrypted)
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(TamperCases))]
    public void FlippedOctet_AuthFailure_StateUnchanged(string name, int index)
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get(name));
        var good = EspKnownAnswerTests.Seal(outbound, Inner);
        var bad = good.ToArray();
        bad[index < 0 ? bad.Length + index : index] ^= 0x01;
        var before = inbound.Counters;

        var result = inbound.Open(bad, BinaryPrimitives.ReadUInt32BigEndian(bad.AsSpan(4)), out _, out _);

        Assert.Equal(InboundResult.AuthFailure, result);
        Assert.Equal(before with { AuthFailures = 1 }, inbound.Counters);
        Assert.Equal(0UL, inbound.HighestSequence);
        // The genuine packet with the same sequence number still passes: the window did not move.
        Assert.Equal(InboundResult.Delivered, inbound.Open(good, 1, out _, out _));
    }

    [Fact]
    public void Replay_DroppedBeforeDecryption()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes128gcm"));
        var packet = EspKnownAnswerTests.Seal(outbound, Inner);
        Assert.Equal(InboundResult.Delivered, inbound.Open(packet.ToArray(), 1, out _, out _));
        Assert.Equal(InboundResult.Replay, inbound.Open(packet.ToArray(), 1, out _, out _));
        var counters = inbound.Counters;
        Assert.Equal(1UL, counters.ReplayDrops);
        Assert.Equal(1UL, counters.Packets);
    }

    [Fact]
    public void ForgedInnerSource_SelectorMismatch()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes256gcm"));
        var forged = Ipv4Packets.Udp("10.139.1.3", "192.0.2.1", 64);
        var packet = EspKnownAnswerTests.Seal(outbound, forged);

        Assert.Equal(InboundResult.SelectorMismatch, inbound.Open(packet, 1, out _, out _));
        var counters = inbound.Counters;
        Assert.Equal(1UL, counters.SelectorDrops);
        Assert.Equal(0UL, counters.Packets);
    }

    [Fact]
    public void SourceInsideASelectorRange_Delivered()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes128-sha1"),
            innerSources: [(IPAddress.Parse("10.139.1.0"), IPAddress.Parse("10.139.1.255"))]);
        var packet = EspKnownAnswerTests.Seal(outbound, Ipv4Packets.Udp("10.139.1.77", "192.0.2.1", 10));
        Assert.Equal(InboundResult.Delivered, inbound.Open(packet, 1, out _, out _));
    }

    [Fact]
    public void TfcDummyPacket_DiscardedSilently()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("chacha20poly1305"));
        var packet = SealRaw(outbound.TransformForTesting, 1, [0xDE, 0xAD, 1, 2, 3, 4, 4, (byte)EspNextHeader.NoNextHeader]);
        Assert.Equal(InboundResult.Dummy, inbound.Open(packet, 1, out _, out _));
        var counters = inbound.Counters;
        Assert.Equal(0UL, counters.Packets);
        Assert.Equal(0UL, counters.MalformedDrops);
    }

    [Fact]
    public void NextHeaderNotIp_Malformed()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes128gcm"));
        var plaintext = Inner.Concat(new byte[] { 1, 2, 2, 17 }).ToArray(); // UDP: transport mode, not ours
        var packet = SealRaw(outbound.TransformForTesting, 1, plaintext);
        Assert.Equal(InboundResult.Malformed, inbound.Open(packet, 1, out _, out _));
        Assert.Equal(1UL, inbound.Counters.MalformedDrops);
    }

    [Fact]
    public void NextHeaderDisagreesWithInnerVersion_Malformed()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes128gcm"));
        var plaintext = Inner.Concat(new byte[] { 1, 2, 2, (byte)EspNextHeader.Ipv6 }).ToArray();
        var packet = SealRaw(outbound.TransformForTesting, 1, plaintext);
        Assert.Equal(InboundResult.Malformed, inbound.Open(packet, 1, out _, out _));
    }

    [Fact]
    public void NonDefaultPadding_BadPadding()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes128gcm"));
        var plaintext = Inner.Concat(new byte[] { 7, 7, 2, 4 }).ToArray();
        var packet = SealRaw(outbound.TransformForTesting, 1, plaintext);
        Assert.Equal(InboundResult.Malformed, inbound.Open(packet, 1, out _, out _));
    }

    [Fact]
    public void TfcPaddingAfterTheInnerPacket_Trimmed()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes256gcm"));
        // RFC 4303 §2.7: TFC padding follows the inner packet, before the ESP padding.
        var plaintext = Inner.Concat(new byte[8]).Concat(new byte[] { 1, 2, 2, 4 }).ToArray();
        var packet = SealRaw(outbound.TransformForTesting, 1, plaintext);
        Assert.Equal(InboundResult.Delivered, inbound.Open(packet, 1, out var offset, out var length));
        Assert.Equal(Inner, packet.AsSpan(offset, length).ToArray());
    }

    [Fact]
    public void CiphertextNotWholeBlocks_Malformed()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes256-sha256"));
        var packet = EspKnownAnswerTests.Seal(outbound, Inner);
        var cut = packet.AsSpan(0, packet.Length - 1).ToArray();
        Assert.Equal(InboundResult.Malformed, inbound.Open(cut, 1, out _, out _));
        Assert.Equal(0UL, inbound.HighestSequence);
    }

    [Fact]
    public void DeletedSa_Expired()
    {
        var (outbound, inbound) = SaFactory.Pair(TestSuite.Get("aes128gcm"));
        var packet = EspKnownAnswerTests.Seal(outbound, Inner);
        inbound.Dispose();
        Assert.Equal(InboundResult.Expired, inbound.Open(packet, 1, out _, out _));
    }

    // An authenticated packet with an arbitrary plaintext, for trailers the SA would never build.
    private static byte[] SealRaw(EspTransform transform, uint sequence, byte[] plaintext)
    {
        var esp = new byte[transform.HeaderLength + plaintext.Length + transform.IcvLength];
        new EspHeader(SaFactory.Spi, sequence).Write(esp);
        plaintext.CopyTo(esp, transform.HeaderLength);
        transform.Seal(esp, sequence, esn: false);
        return esp;
    }
}
