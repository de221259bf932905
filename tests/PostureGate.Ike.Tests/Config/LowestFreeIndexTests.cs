using PostureGate.Ike.Config;

namespace PostureGate.Ike.Tests.Config;

public class LowestFreeIndexTests
{
    [Fact]
    public void HandsOutTheLowestFreeIndexUpToTheLimit()
    {
        var free = new LowestFreeIndex();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(free.TryTake(3, out var n));
            Assert.Equal(i, n);
        }
        Assert.False(free.TryTake(3, out _));
        Assert.True(free.Return(1));
        Assert.False(free.Return(1)); // not in use any more
        Assert.False(free.Return(7)); // never handed out
        Assert.True(free.TryTake(3, out var again));
        Assert.Equal(1, again);
        Assert.Equal(3, free.InUse);
    }

    [Fact]
    public void AgreesWithAScanFromZero()
    {
        // The model: a set of indices in use; the answer is the first index not in it.
        var random = new Random(7);
        var free = new LowestFreeIndex();
        var used = new SortedSet<long>();
        const long limit = 64;
        for (var step = 0; step < 20_000; step++)
        {
            if (used.Count > 0 && random.Next(3) == 0)
            {
                var victim = used.ElementAt(random.Next(used.Count));
                Assert.True(free.Return(victim));
                used.Remove(victim);
            }
            else
            {
                long expected = 0;
                while (used.Contains(expected))
                    expected++;
                var ok = free.TryTake(limit, out var n);
                Assert.Equal(expected < limit, ok);
                if (ok)
                {
                    Assert.Equal(expected, n);
                    used.Add(n);
                }
            }
            Assert.Equal(used.Count, free.InUse);
        }
    }
}
