// RFC 5216 §2.1.5 reassembly against hostile fragment sequences: each lie about the length, a
// message over the ceiling, a first fragment without L, an empty or overflowing fragment is refused,
// and a refusal leaves nothing buffered.
using PostureGate.Ike.Eap;
using PostureGate.Ike.Eap.Tls;

namespace PostureGate.Ike.Tests.Eap.Tls;

public sealed class EapTlsReassemblyTests
{
    private static bool Add(EapTlsReassembly r, EapTlsFlags flags, uint? total, int length, out byte[]? message, out string problem, byte fill = 1)
    {
        var eap = EapTlsPacket.Create(EapCode.Response, 1, flags, total, Enumerable.Repeat(fill, length).ToArray());
        Assert.True(EapPacket.TryParse(eap, out var p));
        Assert.True(EapTlsPacket.TryParse(p.TypeData, out var fragment));
        return r.TryAdd(fragment, out message, out problem);
    }

    [Fact]
    public void AnUnfragmentedMessageWithOrWithoutLIsComplete()
    {
        var r = new EapTlsReassembly(1000);
        Assert.True(Add(r, EapTlsFlags.None, null, 10, out var m, out _));
        Assert.Equal(10, m!.Length);
        Assert.True(Add(r, EapTlsFlags.None, 10, 10, out m, out _));
        Assert.Equal(10, m!.Length);
        Assert.False(r.InProgress);
    }

    [Fact]
    public void FragmentsInOrderMakeTheMessage()
    {
        var r = new EapTlsReassembly(1000);
        Assert.True(Add(r, EapTlsFlags.MoreFragments, 25, 10, out var m, out _, fill: 1));
        Assert.Null(m);
        Assert.True(r.InProgress);
        Assert.True(Add(r, EapTlsFlags.MoreFragments, null, 10, out m, out _, fill: 2));
        Assert.Null(m);
        Assert.True(Add(r, EapTlsFlags.None, 25, 5, out m, out _, fill: 3));
        Assert.Equal([.. Enumerable.Repeat((byte)1, 10), .. Enumerable.Repeat((byte)2, 10), .. Enumerable.Repeat((byte)3, 5)], m!);
        Assert.False(r.InProgress);
    }

    [Theory]
    [InlineData("FirstFragmentWithoutL")]
    [InlineData("LargerThanTheCeiling")]
    [InlineData("LSaysMoreThanSent")]
    [InlineData("LSaysLessThanSent")]
    [InlineData("MoreAnnouncedButLengthReached")]
    [InlineData("EmptyFragment")]
    public void AFirstFragmentThatLiesIsRefused(string name)
    {
        var r = new EapTlsReassembly(1000);
        var accepted = name switch
        {
            "FirstFragmentWithoutL" => Add(r, EapTlsFlags.MoreFragments, null, 10, out _, out _),
            "LargerThanTheCeiling" => Add(r, EapTlsFlags.MoreFragments, 1001, 10, out _, out _),
            "LSaysMoreThanSent" => Add(r, EapTlsFlags.None, 11, 10, out _, out _),
            "LSaysLessThanSent" => Add(r, EapTlsFlags.MoreFragments, 9, 10, out _, out _),
            "MoreAnnouncedButLengthReached" => Add(r, EapTlsFlags.MoreFragments, 10, 10, out _, out _),
            _ => Add(r, EapTlsFlags.None, null, 0, out _, out _),
        };
        Assert.False(accepted, name);
        Assert.False(r.InProgress);
    }

    [Theory]
    [InlineData("LChangesMidway")]
    [InlineData("OverflowsTheAnnouncedLength")]
    [InlineData("EndsShort")]
    [InlineData("MoreAfterTheLastOctet")]
    [InlineData("EmptyContinuation")]
    public void ALaterFragmentThatLiesIsRefusedAndDropsTheBuffer(string name)
    {
        var r = new EapTlsReassembly(1000);
        Assert.True(Add(r, EapTlsFlags.MoreFragments, 20, 10, out _, out _));
        var accepted = name switch
        {
            "LChangesMidway" => Add(r, EapTlsFlags.None, 30, 10, out _, out _),
            "OverflowsTheAnnouncedLength" => Add(r, EapTlsFlags.None, null, 11, out _, out _),
            "EndsShort" => Add(r, EapTlsFlags.None, null, 9, out _, out _),
            "MoreAfterTheLastOctet" => Add(r, EapTlsFlags.MoreFragments, null, 10, out _, out _),
            _ => Add(r, EapTlsFlags.MoreFragments, null, 0, out _, out _),
        };
        Assert.False(accepted, name);
        Assert.False(r.InProgress);
        // A new message starts afresh after the refusal.
        Assert.True(Add(r, EapTlsFlags.None, null, 3, out var m, out _));
        Assert.Equal(3, m!.Length);
    }
}
