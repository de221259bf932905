// How the EMS console writes times and endpoint states (UTC, ISO 8601 — the same as the CLI).
using System.Globalization;

namespace PostureGate.Ems.WebConsole.Pages;

internal static class ConsoleText
{
    public static string Time(long unixSeconds)
        => DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
