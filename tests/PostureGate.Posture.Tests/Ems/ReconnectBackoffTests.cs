namespace PostureGate.Posture.Tests.Ems;

public class ReconnectBackoffTests
{
    [Fact]
    public void GrowsExponentially_IsCapped_Jittered_AndResets()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(3));
        var delays = Enumerable.Range(0, 10).Select(_ => backoff.Next().TotalSeconds).ToList();
        // Attempt k waits in [ceiling/2, ceiling], ceiling = min(30, 2^k).
        for (var k = 0; k < delays.Count; k++)
        {
            var ceiling = Math.Min(30, Math.Pow(2, k));
            Assert.InRange(delays[k], ceiling / 2, ceiling);
        }
        Assert.True(delays.Skip(5).Distinct().Count() > 1, "jitter makes capped delays differ");
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.5, 1);
    }
}
