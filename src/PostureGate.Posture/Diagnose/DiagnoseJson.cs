// JSON options for the `--json` form of the posture diagnose commands: snake_case, indented — PostureGate's own.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PostureGate.Posture;

/// <summary>The `--json` form of every posture diagnose command: snake_case, indented.</summary>
internal static class DiagnoseJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
