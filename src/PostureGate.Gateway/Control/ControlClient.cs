// The `pgate diagnose` side of the control socket.
using System.Net.Sockets;
using System.Text;

namespace PostureGate.Gateway.Control;

public static class ControlClient
{
    /// <summary>Sends one request and copies the answer to <paramref name="output"/>; returns the daemon's exit code.</summary>
    public static async Task<int> SendAsync(string path, ControlRequest request, TextWriter output, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new ControlUnavailableException(
                $"cannot reach the gateway at {path} ({ex.SocketErrorCode}); is `pgate gateway` running, and is --control the same path?");
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var requestBytes = Encoding.UTF8.GetBytes(ControlProtocol.Encode(request) + "\n");
        await stream.WriteAsync(requestBytes, ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        try
        {
            while (true)
            {
                var line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
                if (line is null)
                    return 1; // the daemon went away without a trailer
                if (line.Length > 0 && line[0] == ControlProtocol.TrailerMark)
                    return int.TryParse(line.AsSpan(6), out var rc) ? rc : 1;
                await output.WriteLineAsync(line).ConfigureAwait(false);
                // Flushed whenever nothing more is waiting: a streamed answer (debug enable) shows at once,
                // a long list (100,000 tunnels) is not one write per line.
                if (!stream.DataAvailable)
                    await output.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return 0; // Ctrl-C on a stream ends it normally.
        }
    }
}

public sealed class ControlUnavailableException(string message) : Exception(message);
