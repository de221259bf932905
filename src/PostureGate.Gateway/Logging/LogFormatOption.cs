// `--log-format console|json` (gateway, up): console is PgateConsoleFormatter's lines; json is one
// JSON object per line in Microsoft.Extensions.Logging's JSON console schema (Timestamp, EventId,
// LogLevel, Category, Message, State), the one schema docs/observability.md documents for every pgate process.
using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PostureGate.Gateway.Logging;

public static class LogFormatOption
{
    public const string Console = "console";
    public const string Json = "json";

    /// <summary>ISO 8601 with milliseconds and the zone, as the console format writes it.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    public static Option<string> Create()
    {
        var option = new Option<string>("--log-format")
        {
            Description = "console: one readable line per entry; json: one JSON object per line (docs/observability.md)",
            DefaultValueFactory = _ => Console,
            HelpName = "console|json",
        };
        option.AcceptOnlyFromAmong(Console, Json);
        return option;
    }

    /// <summary>Adds the console logger in JSON lines to <paramref name="builder"/>.</summary>
    public static ILoggingBuilder AddJsonLines(this ILoggingBuilder builder) => builder.AddJsonConsole(o =>
    {
        o.TimestampFormat = TimestampFormat;
        o.IncludeScopes = false;
        o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
    });
}
