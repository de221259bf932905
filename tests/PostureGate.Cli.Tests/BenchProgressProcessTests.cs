// `pgate client bench` with its standard error a pipe (not a terminal), as in CI or `2>log`:
// no progress bar, only the summary (the bar itself is TerminalProgressTests' subject). Before,
// the bar went to the pipe too.
namespace PostureGate.Cli.Tests;

public sealed class BenchProgressProcessTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("pgbench").FullName;

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [Fact]
    public async Task Bench_into_a_pipe_prints_the_summary_and_no_progress()
    {
        var ike = TestHost.FreeUdpPort();
        var natt = TestHost.FreeUdpPort();
        var ems = TestHost.FreeTcpPort();
        using var up = PgateProcess.Start(_cwd, ["up", "--config", TestHost.ExamplePath(), "--ems-listen", $"https://127.0.0.1:{ems}",
            "--ike-port", $"{ike}", "--natt-port", $"{natt}", "--data-plane", "off"]);
        int exit;
        string output;
        try
        {
            await up.WaitForAsync("Ctrl-C stops everything.");
            File.WriteAllText(Path.Combine(_cwd, "psk"), "example-dialup-psk\n");
            File.WriteAllText(Path.Combine(_cwd, "password"), "example-userc-password\n");
            using var bench = PgateProcess.Start(_cwd, ["client", "bench", "--gateway", $"127.0.0.1:{ike}", "--natt-port", $"{natt}",
                "--psk-file", "psk", "--user", "userc", "--password-file", "password", "--count", "3", "--concurrency", "1"]);
            (exit, output) = await bench.ExitAsync();
        }
        finally
        {
            up.Interrupt();
        }
        await up.ExitAsync();

        // Refused or admitted (the example's tunnel wants posture tags this bench has not), each counts once.
        Assert.True(exit is 0 or 1, output);
        Assert.Contains("connections: 3, ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[#", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[.", output, StringComparison.Ordinal);
    }
}
