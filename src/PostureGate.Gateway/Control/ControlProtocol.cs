// The control socket protocol between `pgate diagnose` and a running gateway.
// One request per connection: the client writes one JSON line
// {"words":["vpn","ike","gateway","list"],"json":false}; the server answers with
// text (or JSON) and ends with a trailer line "\u0001exit N" carrying the exit
// code. Streams (`diagnose debug enable`) write until the client hangs up.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PostureGate.Gateway.Control;

public sealed record ControlRequest(
    [property: JsonPropertyName("words")] IReadOnlyList<string> Words,
    [property: JsonPropertyName("json")] bool Json);

internal static class ControlProtocol
{
    /// <summary>Default path, as a daemon under systemd's RuntimeDirectory would have it.</summary>
    public const string DefaultSocketPath = "/run/posturegate/pgate.sock";

    /// <summary>Marks the trailer line; a control character cannot appear in diagnose output.</summary>
    public const char TrailerMark = '\u0001';

    /// <summary>Requests are small; anything longer is not ours.</summary>
    public const int MaxRequestBytes = 8192;

    public static string Encode(ControlRequest request) => JsonSerializer.Serialize(request);

    public static bool TryDecode(string line, out ControlRequest? request)
    {
        request = null;
        try
        {
            request = JsonSerializer.Deserialize<ControlRequest>(line);
            return request?.Words is not null && request.Words.All(w => w is not null);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The exit code of a request the peer may not make (EACCES).</summary>
    public const int PermissionDenied = 13;

    public static string Trailer(int exitCode) => $"{TrailerMark}exit {exitCode}";
}
