// A TCP relay on loopback between the gateway's fctems connector and an EMS that can hold what
// the EMS answers: the demo's "slow EMS" (the seed: the token decides when the EMS is
// "unreachable or slow"). Requests go through at once; while held, the EMS's answers wait
// until Release — an EMS slower than any decision budget, however loaded the machine, whose
// late answers then arrive all at once.
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Cli.Demo;

public sealed class SlowLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _ems;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private TaskCompletionSource? _held;

    public SlowLink(IPEndPoint ems)
    {
        _ems = ems;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Where the connector should connect instead of the EMS.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The EMS's answers wait, from now on, until <see cref="Release"/>.</summary>
    public void Hold() =>
        Interlocked.CompareExchange(ref _held, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>What was held goes on, and later answers pass at once.</summary>
    public void Release() => Interlocked.Exchange(ref _held, null)?.TrySetResult();

    public bool Held => Volatile.Read(ref _held) is not null;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var ems = new TcpClient();
        try
        {
            await ems.ConnectAsync(_ems, _stop.Token).ConfigureAwait(false);
            var up = CopyAsync(client.GetStream(), ems.GetStream(), holdable: false);
            var down = CopyAsync(ems.GetStream(), client.GetStream(), holdable: true);
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Either side went away (or the EMS stopped): the connection ends, as it would without us.
        }
    }

    private async Task CopyAsync(Stream from, Stream to, bool holdable)
    {
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
        {
            if (holdable && Volatile.Read(ref _held) is { } hold)
            {
                await hold.Task.WaitAsync(_stop.Token).ConfigureAwait(false);
                // What piled up meanwhile goes on in one write, as a backlog arrives after a stall.
                while (from is NetworkStream { DataAvailable: true })
                {
                    if (n == buffer.Length)
                        Array.Resize(ref buffer, buffer.Length * 2);
                    var more = await from.ReadAsync(buffer.AsMemory(n), _stop.Token).ConfigureAwait(false);
                    if (more == 0)
                        break;
                    n += more;
                }
            }
            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Release();
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
