// A real `pgate up` (EMS and gateway in one process, examples/dialup.conf, free ports, no data plane)
// for the gateway console's browser tests, with what its output tells a user: the console's URL,
// the first admin's password file, the client command, the control socket.
using PostureGate.Cli.Tests;

namespace PostureGate.Web.Tests.Gateway;

internal sealed class GatewayUp : IAsyncDisposable
{
    private readonly List<PgateProcess> _processes = [];

    private GatewayUp(string directory) => Directory = directory;

    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, ".posturegate");

    public string ConfigPath => Path.Combine(Directory, "examples", "dialup.conf");

    public PgateProcess Up => _processes[0];

    /// <summary>https://127.0.0.1:PORT (no trailing slash), as printed on up's "gateway console" line.</summary>
    public string ConsoleUrl { get; private set; } = "";

    /// <summary>The file up names for the first admin's password; null when accounts existed before.</summary>
    public string? PasswordFile { get; private set; }

    /// <param name="prepare">Runs on the data directory before up starts (e.g. to write admin accounts).</param>
    public static async Task<GatewayUp> StartAsync(Action<string>? prepare = null)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("pggwconsole").FullName;
        var up = new GatewayUp(dir);
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "examples"));
        File.Copy(TestHost.ExamplePath(), up.ConfigPath);
        System.IO.Directory.CreateDirectory(up.DataDirectory);
        prepare?.Invoke(up.DataDirectory);
        var p = up.Start(["up", "--config", up.ConfigPath, "--data", up.DataDirectory, "--ems-listen", $"https://127.0.0.1:{TestHost.FreeTcpPort()}",
            "--ike-port", $"{TestHost.FreeUdpPort()}", "--natt-port", $"{TestHost.FreeUdpPort()}", "--data-plane", "off"]);
        await p.WaitForAsync("Ctrl-C stops everything.");
        var console = p.Output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("gateway console https://", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        up.ConsoleUrl = console[2][..console[2].IndexOf("/console", StringComparison.Ordinal)];
        var file = console[^1];
        up.PasswordFile = file.StartsWith('/') ? file : null;
        return up;
    }

    public PgateProcess Start(IEnumerable<string> args)
    {
        // The client keeps its device key under HOME: the test's own directory.
        var p = PgateProcess.Start(Directory, args, new Dictionary<string, string> { ["HOME"] = Directory }, Ems.PgateRun.Dll);
        _processes.Add(p);
        return p;
    }

    /// <summary>The client command up printed for a tunnel, from "client" on, started; returns when connected.</summary>
    public async Task<PgateProcess> ConnectAsync(string tunnel)
    {
        var lines = Up.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var at = lines.FindIndex(l => l.Trim() == $"# tunnel {tunnel}");
        Assert.True(at >= 0, Up.Output);
        var words = (lines[at + 1].TrimEnd('\\') + " " + lines[at + 2]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var client = Start(words[Array.IndexOf(words, "client")..]);
        await client.WaitForAsync($"connected: {tunnel}");
        return client;
    }

    /// <summary>Runs a pgate command to its end (diagnose, ems); returns its output, asserting exit 0.</summary>
    public async Task<string> RunAsync(params string[] args)
    {
        var (exit, output) = await Start(args).ExitAsync();
        Assert.True(exit == 0, $"pgate {string.Join(' ', args)}: exit {exit}\n{output}");
        return output;
    }

    public string ControlSocket => Path.Combine(DataDirectory, "pgate.sock");

    public async ValueTask DisposeAsync()
    {
        // Clients first, then up: Ctrl-C, as in a terminal.
        foreach (var p in Enumerable.Reverse(_processes))
        {
            p.Interrupt();
            try
            {
                await p.ExitAsync();
            }
            catch (OperationCanceledException)
            {
            }
            p.Dispose();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
