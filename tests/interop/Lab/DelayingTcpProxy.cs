// A TCP proxy inside one of the lab's network namespaces (setns(2), CLONE_NEWNET) that can hold
// every chunk it forwards for a while: a slow EMS, since this kernel has no netem. A socket
// belongs to the namespace of the thread that created it, so the listener and each upstream
// socket are created on a short-lived thread that joined the namespace; the copying then runs
// on any thread.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PostureGate.Interop.Tests.Lab;

public sealed partial class DelayingTcpProxy : IAsyncDisposable
{
    private const int CloneNewNet = 0x40000000;

    private readonly string _namespacePath;
    private readonly IPEndPoint _target;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private long _delayTicks;

    private DelayingTcpProxy(string namespacePath, IPEndPoint listen, IPEndPoint target)
    {
        _namespacePath = namespacePath;
        _target = target;
        _listener = InNamespace(() =>
        {
            var s = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(listen);
            s.Listen(16);
            return s;
        });
        _accepting = AcceptLoopAsync();
    }

    /// <summary>Listens on <paramref name="listen"/> inside namespace <paramref name="namespaceName"/>
    /// (/run/netns/NAME) and forwards each connection to <paramref name="target"/>, reached from there.</summary>
    public static DelayingTcpProxy Start(string namespaceName, IPEndPoint listen, IPEndPoint target) =>
        new($"/run/netns/{namespaceName}", listen, target);

    /// <summary>How long each chunk waits before it is forwarded, either way, from now on (zero: at once).</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var upstream = InNamespace(() => new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        lock (_sockets)
        {
            _sockets.Add(client);
            _sockets.Add(upstream);
        }
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            await Task.WhenAny(PumpAsync(client, upstream), PumpAsync(upstream, client));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                if (Delay is { Ticks: > 0 } delay)
                {
                    await Task.Delay(delay, _stop.Token);
                }
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private T InNamespace<T>(Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle(_namespacePath);
                if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns({_namespacePath}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
                result = create();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InteropLabException($"creating a socket in {_namespacePath}: {failure.Message}");
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        lock (_sockets)
        {
            foreach (var s in _sockets)
            {
                s.Dispose();
            }
        }
        await _accepting;
        _stop.Dispose();
    }
}
