// Server-Sent Events line parser (WHATWG HTML §9.2.6 "Interpreting an event stream"): fields
// `event`, `data` (joined with LF), `id`; a blank line dispatches; lines starting ':' are comments.
using System.Text;

namespace PostureGate.Posture;

public sealed record ServerSentEvent(string? Event, string Data, string? Id);

public sealed class ServerSentEventReader
{
    private readonly StringBuilder _data = new();
    private string? _event;
    private string? _id;
    private bool _hasData;

    /// <summary>Feeds one line (without its terminator); returns the event a blank line completes.</summary>
    public ServerSentEvent? Feed(string line)
    {
        if (line.Length == 0)
        {
            if (!_hasData)
            {
                _event = null;
                return null;
            }
            var message = new ServerSentEvent(_event, _data.ToString(), _id);
            _data.Clear();
            _event = null;
            _hasData = false;
            return message;
        }
        if (line[0] == ':')
            return null;
        var colon = line.IndexOf(':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? "" : line[(colon + 1)..];
        if (value.StartsWith(' '))
            value = value[1..];
        switch (field)
        {
            case "event":
                _event = value;
                break;
            case "data":
                if (_hasData)
                    _data.Append('\n');
                _data.Append(value);
                _hasData = true;
                break;
            case "id":
                if (!value.Contains('\0'))
                    _id = value;
                break;
        }
        return null;
    }
}
