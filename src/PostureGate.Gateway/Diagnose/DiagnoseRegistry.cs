// The `diagnose …` commands a running gateway answers, keyed by their FortiOS
// words ("vpn ike gateway list"). Words after the longest matching key are the
// command's arguments ("name dialup_0").
namespace PostureGate.Gateway.Diagnose;

public sealed record DiagnoseInvocation(IReadOnlyList<string> Args, bool Json, TextWriter Output, CancellationToken Cancellation)
{
    /// <summary>FortiOS filters are "name X"; returns X when present.</summary>
    public string? Named(string keyword)
    {
        for (var i = 0; i + 1 < Args.Count; i++)
            if (string.Equals(Args[i], keyword, StringComparison.Ordinal))
                return Args[i + 1];
        return null;
    }
}

public sealed class DiagnoseRegistry
{
    private readonly List<(string[] Words, string Usage, Func<DiagnoseInvocation, Task<int>> Handler, bool ChangesState)> _entries = [];

    /// <summary>
    /// Registers a command. <paramref name="changesState"/> marks one that changes the gateway
    /// (clears SAs, sets debug levels): the control socket runs it only for root or its owner.
    /// </summary>
    public void Add(string words, string usage, Func<DiagnoseInvocation, Task<int>> handler, bool changesState = false) =>
        _entries.Add((words.Split(' ', StringSplitOptions.RemoveEmptyEntries), usage, handler, changesState));

    /// <summary>Whether the command these words select changes state (false for an unknown command).</summary>
    public bool ChangesState(IReadOnlyList<string> words) => Find(words) is var i and >= 0 && _entries[i].ChangesState;

    public IEnumerable<string> Usages => _entries.Select(e => $"diagnose {string.Join(' ', e.Words)} {e.Usage}".TrimEnd());

    private int Find(IReadOnlyList<string> words)
    {
        var best = -1;
        for (var i = 0; i < _entries.Count; i++)
        {
            var e = _entries[i].Words;
            if (e.Length <= words.Count && e.AsSpan().SequenceEqual(words.Take(e.Length).ToArray()) &&
                (best < 0 || e.Length > _entries[best].Words.Length))
                best = i;
        }
        return best;
    }

    public async Task<int> DispatchAsync(IReadOnlyList<string> words, bool json, TextWriter output, CancellationToken ct)
    {
        var best = Find(words);
        if (best < 0)
        {
            await output.WriteLineAsync($"Command fail. Unknown diagnose command: {string.Join(' ', words)}").ConfigureAwait(false);
            await output.WriteLineAsync("Known commands:").ConfigureAwait(false);
            foreach (var u in Usages)
                await output.WriteLineAsync("  " + u).ConfigureAwait(false);
            return 2;
        }
        var entry = _entries[best];
        return await entry.Handler(new DiagnoseInvocation(words.Skip(entry.Words.Length).ToArray(), json, output, ct)).ConfigureAwait(false);
    }
}
