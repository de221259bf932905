// Durations on the `pgate ems` command line: a whole number and a unit — 45s, 30m, 12h, 7d.
using System.Globalization;

namespace PostureGate.Ems.Cli;

internal static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is not { Length: >= 2 and <= 12 })
            return false;
        var unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        if (unit == TimeSpan.Zero || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0 || count > TimeSpan.MaxValue.Ticks / unit.Ticks)
            return false;
        duration = unit * count;
        return true;
    }
}
