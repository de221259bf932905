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
    private readonly List<(string[] Words, string Usage, Func<DiagnoseInvocation, Task<int>> Handler)> _entries = [];

    public void Add(string words, string usage, Func<DiagnoseInvocation, Task<int>> handler) =>
        _entries.Add((words.Split(' ', StringSplitOptions.RemoveEmptyEntries), usage, handler));

    public IEnumerable<string> Usages => _entries.Select(e => $"diagnose {string.Join(' ', e.Words)} {e.Usage}".TrimEnd());

    public async Task<int> DispatchAsync(IReadOnlyList<string> words, bool json, TextWriter output, CancellationToken ct)
    {
        var best = -1;
        for (var i = 0; i < _entries.Count; i++)
        {
            var e = _entries[i].Words;
            if (e.Length <= words.Count && e.AsSpan().SequenceEqual(words.Take(e.Length).ToArray()) &&
                (best < 0 || e.Length > _entries[best].Words.Length))
                best = i;
        }
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
