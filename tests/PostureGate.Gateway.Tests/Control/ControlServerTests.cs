using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Gateway.Control;
using PostureGate.Gateway.Debug;
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Control;

public sealed class ControlServerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgctl").FullName;
    private readonly DiagnoseRegistry _registry = new();
    private readonly DebugLog _debug = new();
    private ControlServer? _server;
    private string Sock => Path.Combine(_dir, "pgate.sock");

    public Task InitializeAsync()
    {
        _registry.Add("vpn ike gateway list", "[name NAME]", async inv =>
        {
            await inv.Output.WriteLineAsync($"name: {inv.Named("name") ?? "*"} json={inv.Json}");
            return 0;
        });
        _registry.Add("vpn ike gateway", "", async inv =>
        {
            await inv.Output.WriteLineAsync("short");
            return 0;
        });
        _registry.Add("debug enable", "", async inv =>
        {
            await _debug.AttachAsync(inv.Output, inv.Cancellation);
            return 0;
        });
        _server = ControlServer.Start(Sock, (req, output, ct) => _registry.DispatchAsync(req.Words, req.Json, output, ct), NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(_dir, true);
    }

    private async Task<(int Rc, string Out)> Send(params string[] words)
    {
        var sw = new StringWriter();
        var rc = await ControlClient.SendAsync(Sock, new ControlRequest(words, false), sw, CancellationToken.None);
        return (rc, sw.ToString());
    }

    [Fact]
    public async Task Longest_matching_words_win_and_the_rest_are_arguments()
    {
        var (rc, output) = await Send("vpn", "ike", "gateway", "list", "name", "dialup_0");
        Assert.Equal(0, rc);
        Assert.Equal("name: dialup_0 json=False\n", output);
        (rc, output) = await Send("vpn", "ike", "gateway");
        Assert.Equal("short\n", output);
    }

    [Fact]
    public async Task Unknown_command_lists_the_known_ones_with_exit_code_2()
    {
        var (rc, output) = await Send("vpn", "nope");
        Assert.Equal(2, rc);
        Assert.Contains("Unknown diagnose command: vpn nope", output);
        Assert.Contains("diagnose vpn ike gateway list [name NAME]", output);
    }

    [Fact]
    public void A_live_socket_is_never_replaced()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            ControlServer.Start(Sock, (_, _, _) => Task.FromResult(0), NullLogger.Instance));
        Assert.Contains("in use", ex.Message);
    }

    [Fact]
    public async Task A_stale_socket_file_is_replaced()
    {
        var path = Path.Combine(_dir, "stale.sock");
        var first = ControlServer.Start(path, (_, o, _) => { o.WriteLine("first"); return Task.FromResult(0); }, NullLogger.Instance);
        // Simulate a crash: the listener is gone but the file stays.
        await first.DisposeAsync();
        File.WriteAllText(path, "");
        await using var second = ControlServer.Start(path, (_, o, _) => { o.WriteLine("second"); return Task.FromResult(7); }, NullLogger.Instance);
        var sw = new StringWriter();
        Assert.Equal(7, await ControlClient.SendAsync(path, new ControlRequest(["x"], false), sw, CancellationToken.None));
        Assert.Equal("second\n", sw.ToString());
    }

    [Fact]
    public async Task Malformed_request_gets_an_error_and_the_server_keeps_serving()
    {
        using (var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            s.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(Sock));
            s.Send("{not json\n"u8.ToArray());
            var buf = new byte[256];
            var n = s.Receive(buf);
            Assert.StartsWith("error: malformed control request", System.Text.Encoding.UTF8.GetString(buf, 0, n));
        }
        var (rc, _) = await Send("vpn", "ike", "gateway", "list");
        Assert.Equal(0, rc);
    }

    [Fact]
    public async Task Debug_stream_delivers_lines_only_at_an_enabled_level_and_ends_on_hangup()
    {
        var sw = new StringWriter();
        using var cts = new CancellationTokenSource();
        var stream = ControlClient.SendAsync(Sock, new ControlRequest(["debug", "enable"], false), new LineSignalWriter(sw, "second", cts), cts.Token);
        // Wait until the listener is attached before writing.
        while (!_debug.IsEnabled("ike"))
        {
            _debug.SetLevel("ike", -1);
            await Task.Delay(10);
        }
        _debug.SetLevel("ike", 0);
        _debug.Write("ike", "hidden");
        _debug.SetLevel("ike", -1);
        _debug.Write("ike", "first");
        _debug.Write("ike", "second");
        Assert.Equal(0, await stream.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("first\nsecond\n", sw.ToString());
        // After the client hung up the listener is gone.
        for (var i = 0; i < 500 && _debug.IsEnabled("ike"); i++)
            await Task.Delay(10);
        Assert.False(_debug.IsEnabled("ike"));
    }

    /// <summary>Cancels the stream once a given line arrives, as Ctrl-C would.</summary>
    private sealed class LineSignalWriter(TextWriter inner, string last, CancellationTokenSource cts) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override async Task WriteLineAsync(string? value)
        {
            await inner.WriteLineAsync(value);
            if (value == last)
                cts.Cancel();
        }
    }
}
