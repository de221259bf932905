// Unix domain socket server behind `pgate diagnose`. Each connection carries one
// request (see ControlProtocol); handlers write their answer to a TextWriter
// and may stream until the client disconnects. A request that changes state is
// refused unless the peer, as SO_PEERCRED names it, is root or the socket's owner
// (ControlAccess); the group may read.
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PostureGate.Gateway.Control;

public delegate Task<int> ControlHandler(ControlRequest request, TextWriter output, CancellationToken cancellation);

public sealed class ControlServer : IAsyncDisposable
{
    private readonly string _path;
    private readonly ControlHandler _handler;
    private readonly ILogger _log;
    private readonly Socket _listener;
    private readonly Func<IReadOnlyList<string>, bool> _changesState;
    private readonly uint _ownerUid;
    private readonly CancellationTokenSource _stop = new();
    private Task? _acceptLoop;

    private ControlServer(string path, ControlHandler handler, ILogger log, Socket listener, Func<IReadOnlyList<string>, bool> changesState, uint ownerUid)
    {
        _path = path;
        _handler = handler;
        _log = log;
        _listener = listener;
        _changesState = changesState;
        _ownerUid = ownerUid;
    }

    public string Path => _path;

    /// <summary>
    /// Binds the socket, replacing a stale one left by a crashed daemon but never a live one.
    /// <paramref name="changesState"/> says which requests (by their words) change the gateway's state;
    /// without it, none do. <paramref name="ownerUid"/> defaults to this process's.
    /// </summary>
    public static ControlServer Start(string path, ControlHandler handler, ILogger log,
        Func<IReadOnlyList<string>, bool>? changesState = null, uint? ownerUid = null)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
            Directory.CreateDirectory(dir);
        if (File.Exists(path))
        {
            if (IsLive(path))
                throw new InvalidOperationException($"control socket {path} is in use by a running gateway");
            File.Delete(path);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        // Diagnose output shows peers and users: owner and group only.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        listener.Listen(16);
        var server = new ControlServer(path, handler, log, listener, changesState ?? (static _ => false), ownerUid ?? ControlAccess.OwnerUid);
        server._acceptLoop = Task.Run(server.AcceptLoopAsync);
        return server;
    }

    private static bool IsLive(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _log.LogWarning("control socket accept failed: {Error}", ex.SocketErrorCode);
                continue;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var owned = client;
        PeerCredentials? peer = PeerCredentials.TryRead(client, out var credentials) ? credentials : null;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), false, 1024, leaveOpen: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        using var hangup = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            var line = await ReadBoundedLineAsync(reader, hangup.Token).ConfigureAwait(false);
            if (line is null || !ControlProtocol.TryDecode(line, out var request))
            {
                await writer.WriteLineAsync("error: malformed control request").ConfigureAwait(false);
                await writer.WriteLineAsync(ControlProtocol.Trailer(2)).ConfigureAwait(false);
                return;
            }
            if (!ControlAccess.Allows(peer, _ownerUid, _changesState(request!.Words)))
            {
                var who = peer is { } p ? $"uid {p.Uid} (pid {p.Pid})" : "a peer whose credentials cannot be read";
                _log.LogWarning("control socket: refused 'diagnose {Command}' from {Peer}: it changes state", string.Join(' ', request.Words), who);
                await writer.WriteLineAsync($"error: permission denied: 'diagnose {string.Join(' ', request.Words)}' changes the gateway's state; only root or uid {_ownerUid} may run it").ConfigureAwait(false);
                await writer.WriteLineAsync(ControlProtocol.Trailer(ControlProtocol.PermissionDenied)).ConfigureAwait(false);
                return;
            }
            // The client sends nothing after its request; EOF or reset means it hung up.
            _ = WatchHangupAsync(stream, hangup);
            var rc = await _handler(request!, writer, hangup.Token).ConfigureAwait(false);
            await writer.WriteLineAsync(ControlProtocol.Trailer(rc)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away mid-answer: nothing to do.
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "control request failed");
            try
            {
                await writer.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                await writer.WriteLineAsync(ControlProtocol.Trailer(1)).ConfigureAwait(false);
            }
            catch (Exception inner) when (inner is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task WatchHangupAsync(NetworkStream stream, CancellationTokenSource hangup)
    {
        var buffer = new byte[64];
        try
        {
            while (await stream.ReadAsync(buffer, hangup.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        try
        {
            hangup.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task<string?> ReadBoundedLineAsync(StreamReader reader, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var one = new char[1];
        while (sb.Length < ControlProtocol.MaxRequestBytes)
        {
            var n = await reader.ReadAsync(one.AsMemory(), ct).ConfigureAwait(false);
            if (n == 0)
                return null;
            if (one[0] == '\n')
                return sb.ToString();
            sb.Append(one[0]);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        if (_acceptLoop is not null)
            await _acceptLoop.ConfigureAwait(false);
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }
}
