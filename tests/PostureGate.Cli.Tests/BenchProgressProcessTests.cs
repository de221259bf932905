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
        var gateway = UpOnLoopback.Start(_cwd, "example-userc-password");
        using var up = gateway.Process;
        int exit;
        string output;
        try
        {
            await up.WaitForAsync("Ctrl-C stops everything.");
            using var bench = PgateProcess.Start(_cwd, gateway.Client("bench", "--count", "3", "--concurrency", "1"));
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
