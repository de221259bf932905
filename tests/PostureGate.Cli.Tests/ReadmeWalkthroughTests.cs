// The README's walkthrough block (between <!-- walkthrough:begin --> and <!-- walkthrough:end -->),
// run word for word as separate processes (issue 13): `pgate up` in a directory holding
// examples/dialup.conf, the client command up printed for tunnel dialup, then each command; each
// must exit 0 and print what follows its "# →". Only these are the test's own: up's ports (free
// ones, so parallel runs do not collide) and `--data-plane off` (CI runs as root, where up would
// otherwise create TUN devices), and the client's HOME (its device key stays in the test directory).
namespace PostureGate.Cli.Tests;

public sealed class ReadmeWalkthroughTests : IDisposable
{
    private const string Begin = "<!-- walkthrough:begin -->";
    private const string End = "<!-- walkthrough:end -->";
    private const string Arrow = "# →";
    private const string PastedClient = "pgate client connect …";

    private readonly string _cwd = Directory.CreateTempSubdirectory("pgreadme").FullName;
    private readonly List<PgateProcess> _processes = [];

    public void Dispose()
    {
        foreach (var p in _processes)
            p.Dispose();
        Directory.Delete(_cwd, recursive: true);
    }

    private PgateProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var p = PgateProcess.Start(_cwd, args, environment);
        _processes.Add(p);
        return p;
    }

    /// <summary>The block's lines as (command, what its output shows).</summary>
    internal static List<(string Command, string Shows)> Steps(string readme)
    {
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no walkthrough block");
        var steps = new List<(string, string)>();
        foreach (var raw in readme[(start + Begin.Length)..end].Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("```", StringComparison.Ordinal))
                continue;
            var arrow = line.IndexOf(Arrow, StringComparison.Ordinal);
            Assert.True(arrow > 0, $"walkthrough line without '{Arrow}': {line}");
            steps.Add((line[..arrow].Trim(), line[(arrow + Arrow.Length)..].Trim()));
        }
        return steps;
    }

    [Fact]
    public async Task The_readme_walkthrough_runs_word_for_word_after_pgate_up()
    {
        var steps = Steps(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(TestHost.ExamplePath()))!, "README.md")));
        Assert.Equal("pgate up", steps[0].Command);
        Assert.Equal(PastedClient, steps[1].Command);
        Directory.CreateDirectory(Path.Combine(_cwd, "examples"));
        File.Copy(TestHost.ExamplePath(), Path.Combine(_cwd, "examples", "dialup.conf"));
        var home = new Dictionary<string, string> { ["HOME"] = _cwd };

        var up = Start([.. Words(steps[0].Command), "--ems-listen", $"https://127.0.0.1:{TestHost.FreeTcpPort()}",
            "--ike-port", $"{TestHost.FreeUdpPort()}", "--natt-port", $"{TestHost.FreeUdpPort()}", "--data-plane", "off"]);
        PgateProcess? client = null;
        try
        {
            await up.WaitForAsync("Ctrl-C stops everything.");
            Assert.Contains(steps[0].Shows, up.Output, StringComparison.Ordinal);

            client = Start(PrintedClientCommand(up.Output, "dialup"), home);
            await client.WaitForAsync(steps[1].Shows);

            foreach (var (command, shows) in steps.Skip(2))
            {
                // What the EMS reported reaches the gateway's views within moments: run it again, as a user would.
                var (exit, output) = (-1, "");
                for (var attempt = 0; attempt < 15 && !(exit == 0 && output.Contains(shows, StringComparison.Ordinal)); attempt++)
                {
                    if (attempt > 0)
                        await Task.Delay(TimeSpan.FromSeconds(1));
                    var step = Start(Words(command), home);
                    (exit, output) = await step.ExitAsync();
                }
                Assert.True(exit == 0, $"{command}: exit {exit}\n{output}");
                Assert.True(output.Contains(shows, StringComparison.Ordinal), $"{command}: expected '{shows}' in\n{output}");
            }
        }
        finally
        {
            // Ctrl-C in the client's terminal, then in up's.
            if (client is not null)
            {
                client.Interrupt();
                await client.ExitAsync();
            }
            up.Interrupt();
        }
        var (clientExit, clientOutput) = await client!.ExitAsync();
        Assert.True(clientExit == 0, clientOutput);
        Assert.Contains("disconnected", clientOutput, StringComparison.Ordinal);
        var (upExit, upOutput) = await up.ExitAsync();
        Assert.True(upExit == 0, upOutput);
    }

    // "pgate a b c" → [a, b, c]: the README's commands have no quoting, so words split on spaces.
    private static string[] Words(string command)
    {
        Assert.DoesNotContain('"', command);
        Assert.DoesNotContain('\'', command);
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("pgate", words[0]);
        return words[1..];
    }

    // The two lines under "# tunnel NAME" in up's output, joined at the backslash, from "client" on
    // (up names this very executable first, `dotnet …/pgate.dll` from a build).
    private static string[] PrintedClientCommand(string upOutput, string tunnel)
    {
        var lines = upOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var at = lines.FindIndex(l => l.Trim() == $"# tunnel {tunnel}");
        Assert.True(at >= 0, $"pgate up printed no command for tunnel {tunnel}:\n{upOutput}");
        var words = (lines[at + 1].TrimEnd('\\') + " " + lines[at + 2]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var client = Array.IndexOf(words, "client");
        Assert.True(client > 0 && words[client + 1] == "connect", lines[at + 1]);
        return words[client..];
    }
}
