// Exponential backoff with a cap and "equal jitter" (half fixed, half random), so that many
// gateways losing one EMS don't reconnect in step.
namespace PostureGate.Posture;

public sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private int _attempt;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt++, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, exponent));
        var half = ceiling / 2;
        return TimeSpan.FromMilliseconds(half + _random.NextDouble() * half);
    }

    public void Reset() => _attempt = 0;
}
