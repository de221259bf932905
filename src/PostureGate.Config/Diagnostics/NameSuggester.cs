// "did you mean …?" hints for configuration names: the closest known name by edit distance — PostureGate's own.
namespace PostureGate.Config;

/// <summary>"did you mean …?" hints: the closest known name by edit distance, if close enough to be a typo.</summary>
internal static class NameSuggester
{
    public static string? Hint(ReadOnlySpan<char> typed, IEnumerable<string> known)
    {
        var best = Closest(typed, known);
        return best is null ? null : $"did you mean '{best}'?";
    }

    public static string? Closest(ReadOnlySpan<char> typed, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var d = Distance(typed, candidate);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        // A third of the length, at least 1 and at most 3 edits: beyond that a hint misleads more than it helps.
        var limit = Math.Clamp(typed.Length / 3, 1, 3);
        return bestDistance <= limit ? best : null;
    }

    private static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        Span<int> prev = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> cur = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            cur.CopyTo(prev);
        }
        return prev[b.Length];
    }
}
