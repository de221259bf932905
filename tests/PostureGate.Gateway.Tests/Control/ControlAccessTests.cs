using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Gateway.Control;
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Control;

/// <summary>
/// The control socket's group may read, but only root or the socket's owner may change
/// state (issue 10, finding 6): decided on the peer's SO_PEERCRED, tested with a real
/// socket and a peer under another uid.
/// </summary>
public sealed partial class ControlAccessTests : IAsyncLifetime
{
    private const uint Nobody = 65534;
    private readonly string _dir = Directory.CreateTempSubdirectory("pgacl").FullName;
    private readonly DiagnoseRegistry _registry = new();
    private int _cleared;
    private ControlServer? _server;
    private string Sock => Path.Combine(_dir, "pgate.sock");

    public Task InitializeAsync()
    {
        _registry.Add("vpn ike gateway list", "", async inv =>
        {
            await inv.Output.WriteLineAsync("listed");
            return 0;
        });
        _registry.Add("vpn ike gateway clear", "", async inv =>
        {
            Interlocked.Increment(ref _cleared);
            await inv.Output.WriteLineAsync("cleared");
            return 0;
        }, changesState: true);
        _server = ControlServer.Start(Sock, (req, output, ct) => _registry.DispatchAsync(req.Words, req.Json, output, ct), NullLogger.Instance, _registry.ChangesState);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    [Theory]
    [InlineData(0u, false, true)]
    [InlineData(0u, true, true)]          // root
    [InlineData(1000u, true, true)]       // the socket's owner
    [InlineData(1001u, false, true)]      // a group member reads
    [InlineData(1001u, true, false)]      // but does not change state
    public void Decision(uint peerUid, bool changesState, bool allowed) =>
        Assert.Equal(allowed, ControlAccess.Allows(new PeerCredentials(42, peerUid, 100), ownerUid: 1000, changesState));

    [Fact]
    public void A_peer_whose_credentials_cannot_be_read_may_only_read()
    {
        Assert.True(ControlAccess.Allows(null, 1000, changesState: false));
        Assert.False(ControlAccess.Allows(null, 1000, changesState: true));
    }

    [Fact]
    public void The_registry_knows_which_commands_change_state()
    {
        Assert.True(_registry.ChangesState(["vpn", "ike", "gateway", "clear", "name", "x"]));
        Assert.False(_registry.ChangesState(["vpn", "ike", "gateway", "list"]));
        Assert.False(_registry.ChangesState(["no", "such"]));
    }

    [Fact]
    public void SO_PEERCRED_names_the_connecting_process()
    {
        var path = Path.Combine(_dir, "peer.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        using var accepted = listener.Accept();
        Assert.True(PeerCredentials.TryRead(accepted, out var peer));
        Assert.Equal(Environment.ProcessId, peer.Pid);
        Assert.Equal(ControlAccess.OwnerUid, peer.Uid);
    }

    [SkippableFact]
    public void Another_uid_in_the_group_reads_but_may_not_clear()
    {
        RequireRoot();
        // The group (root's here) may enter the directory, as /run/posturegate allows its group.
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var (rc, output) = SendAs(Nobody, "vpn", "ike", "gateway", "clear");
        Assert.Equal(13, rc);
        Assert.StartsWith("error: permission denied: 'diagnose vpn ike gateway clear' changes the gateway's state; only root or uid 0 may run it", output, StringComparison.Ordinal);
        Assert.Equal(0, _cleared);

        (rc, output) = SendAs(Nobody, "vpn", "ike", "gateway", "list");
        Assert.Equal((0, "listed\n"), (rc, output));

        (rc, output) = SendAs(null, "vpn", "ike", "gateway", "clear");
        Assert.Equal((0, "cleared\n"), (rc, output));
        Assert.Equal(1, _cleared);
    }

    private static void RequireRoot()
    {
        var supported = Environment.IsPrivilegedProcess && SetresuidNumber() > 0;
        if (!supported && Environment.GetEnvironmentVariable("PG_REQUIRE_NETNS") == "1")
            Assert.Fail("needs root on x86-64 or arm64 to connect under another uid (PG_REQUIRE_NETNS=1)");
        Skip.IfNot(supported, "needs root on x86-64 or arm64 to connect under another uid");
    }

    /// <summary>
    /// Connects with this thread's effective uid set to <paramref name="uid"/> (null: unchanged), so the
    /// kernel records that uid for SO_PEERCRED, then sends one request. The raw setresuid system call
    /// changes only the calling thread (glibc's wrapper would change the whole test process).
    /// </summary>
    private (int Rc, string Output) SendAs(uint? uid, params string[] words)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        if (uid is { } u)
        {
            Assert.Equal(0, Syscall(SetresuidNumber(), -1, u, -1));
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(Sock));
            }
            finally
            {
                Assert.Equal(0, Syscall(SetresuidNumber(), -1, 0, -1));
            }
        }
        else
        {
            socket.Connect(new UnixDomainSocketEndPoint(Sock));
        }
        socket.Send(Encoding.UTF8.GetBytes(ControlProtocol.Encode(new ControlRequest(words, false)) + "\n"));
        socket.Shutdown(SocketShutdown.Send);
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
            answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
        var text = answer.ToString();
        var trailer = text.LastIndexOf(ControlProtocol.TrailerMark);
        return (int.Parse(text[(trailer + "\u0001exit ".Length)..].Trim(), System.Globalization.CultureInfo.InvariantCulture), text[..trailer]);
    }

    private static long SetresuidNumber() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 117,
        Architecture.Arm64 => 147,
        _ => -1,
    };

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long ruid, long euid, long suid);
}
