namespace PostureGate.Posture;

/// <summary>Collects the FortiOS-style debug lines of one decision and forwards each as it happens.</summary>
internal sealed class DebugLines(Action<string>? sink)
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string line)
    {
        _lines.Add(line);
        sink?.Invoke(line);
    }
}
