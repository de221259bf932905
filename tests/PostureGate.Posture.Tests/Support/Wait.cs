namespace PostureGate.Posture.Tests;

/// <summary>Waits for background work (connector loop, push stream) with a generous hang guard; never a timing assertion.</summary>
internal static class Wait
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Guard);
        while (!condition())
            await Task.Delay(10, cts.Token);
    }
}
