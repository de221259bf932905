// Collects the FortiOS ike-debug-style lines of one posture decision, forwarding each as it is made — PostureGate's own.
namespace PostureGate.Posture;

/// <summary>Collects the FortiOS-style debug lines of one decision and forwards each as it happens.</summary>
internal sealed class DebugLines(Action<string>? sink)
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Keeps <paramref name="line"/> and writes it to <paramref name="to"/> (default: the request's sink).</summary>
    public void Add(string line, Action<string>? to = null)
    {
        _lines.Add(line);
        (to ?? sink)?.Invoke(line);
    }
}
