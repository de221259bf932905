using PostureGate.Esp.Replay;

namespace PostureGate.Esp.Tests.Replay;

// RFC 4303 §3.4.3 with the RFC 6479 bitmap, and ESN inference of Appendix A2.2.
public class ReplayWindowTests
{
    private static void Receive(ReplayWindow w, ulong seq)
    {
        Assert.Equal(ReplayStatus.Accept, w.Check(seq));
        w.Update(seq);
    }

    [Fact]
    public void InOrder_AllAccepted()
    {
        var w = new ReplayWindow(64);
        for (ulong s = 1; s <= 500; s++)
            Receive(w, s);
        Assert.Equal(500UL, w.Highest);
    }

    [Fact]
    public void Duplicate_Rejected()
    {
        var w = new ReplayWindow(64);
        Receive(w, 1);
        Receive(w, 2);
        Assert.Equal(ReplayStatus.Duplicate, w.Check(2));
        Assert.Equal(ReplayStatus.Duplicate, w.Check(1));
    }

    [Fact]
    public void OutOfOrderInsideWindow_AcceptedOnce()
    {
        var w = new ReplayWindow(64);
        Receive(w, 10);
        Receive(w, 5);
        Assert.Equal(ReplayStatus.Duplicate, w.Check(5));
        Assert.Equal(ReplayStatus.Accept, w.Check(6));
        Assert.Equal(10UL, w.Highest);
    }

    [Fact]
    public void OldBeyondWindow_TooOld()
    {
        var w = new ReplayWindow(1024);
        Receive(w, 2000);
        Assert.Equal(ReplayStatus.TooOld, w.Check(2000 - 1024));
        Assert.Equal(ReplayStatus.Accept, w.Check(2000 - 1023));
    }

    [Fact]
    public void LargeJump_ClearsStaleBits()
    {
        var w = new ReplayWindow(128);
        for (ulong s = 1; s <= 300; s++)
            Receive(w, s);
        Receive(w, 1_000_000);
        // Bits of 200..300 lie in blocks reused by the ring; after the jump they are outside the window…
        Assert.Equal(ReplayStatus.TooOld, w.Check(300));
        // …and numbers inside the new window that reuse those blocks read as unseen.
        Assert.Equal(ReplayStatus.Accept, w.Check(1_000_000 - 100));
        Assert.Equal(ReplayStatus.Duplicate, w.Check(1_000_000));
    }

    [Fact]
    public void JumpByLessThanTheRing_KeepsBitsStillInWindow()
    {
        var w = new ReplayWindow(256);
        Receive(w, 100);
        Receive(w, 300);
        Assert.Equal(ReplayStatus.Duplicate, w.Check(100));
        Assert.Equal(ReplayStatus.Accept, w.Check(101));
    }

    [Fact]
    public void SequenceZero_Rejected() => Assert.Equal(ReplayStatus.Zero, new ReplayWindow(64).Check(0));

    [Fact]
    public void CheckChangesNothing()
    {
        var w = new ReplayWindow(64);
        Receive(w, 7);
        Assert.Equal(ReplayStatus.Accept, w.Check(9));
        Assert.Equal(7UL, w.Highest);
        Assert.Equal(ReplayStatus.Accept, w.Check(9));
    }

    [Fact]
    public void Disabled_AcceptsReplaysButTracksTheTop()
    {
        var w = new ReplayWindow(0);
        Receive(w, 5);
        Receive(w, 5);
        Assert.Equal(5UL, w.Highest);
    }

    [Fact]
    public void WithoutEsn_TheSequenceIsTheLowBits() =>
        Assert.Equal(0xFFFF_FFF0UL, new ReplayWindow(64).InferSequence(0xFFFF_FFF0, esn: false));

    [Fact]
    public void EsnWrap_HighBitsAdvance()
    {
        // Case A of Appendix A2.2: the window sits in one subspace; a low number below it is the next subspace.
        var w = new ReplayWindow(64);
        Receive(w, 0xFFFF_FFF0);
        var next = w.InferSequence(0x0000_0003, esn: true);
        Assert.Equal(0x1_0000_0003UL, next);
        Receive(w, next);
        Assert.Equal(0x1_0000_0003UL, w.Highest);
    }

    [Fact]
    public void EsnLatePacketFromBeforeTheWrap_KeepsOldHighBits()
    {
        // Case B: the window spans the wrap; a number near 2^32 belongs to the previous subspace.
        var w = new ReplayWindow(64);
        Receive(w, 0xFFFF_FFF0);
        Receive(w, 0x1_0000_0003);
        var late = w.InferSequence(0xFFFF_FFF5, esn: true);
        Assert.Equal(0xFFFF_FFF5UL, late);
        Assert.Equal(ReplayStatus.Accept, w.Check(late));
        Assert.Equal(ReplayStatus.Duplicate, w.Check(w.InferSequence(0xFFFF_FFF0, esn: true)));
    }

    [Fact]
    public void EsnInsideOneSubspace_SameHighBits()
    {
        var w = new ReplayWindow(64);
        Receive(w, 0x2_0000_1000);
        Assert.Equal(0x2_0000_0FF0UL, w.InferSequence(0x0000_0FF0, esn: true));
        Assert.Equal(0x2_0000_2000UL, w.InferSequence(0x0000_2000, esn: true));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(ReplayWindow.MaxSize + 1)]
    public void ImpossibleSize_Rejected(int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayWindow(size));
}
