// `pgate up` as a user runs it, as separate processes: `pgate diagnose` started in the same
// directory finds its control socket without --control, and a second `up` on the same data
// directory says who is running instead of failing inside Kestrel or the TUN driver.
using System.Globalization;

namespace PostureGate.Cli.Tests;

public sealed class UpProcessTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("pgupp").FullName;

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [Fact]
    public async Task Diagnose_finds_a_running_up_and_a_second_up_names_the_first()
    {
        var ike = TestHost.FreeUdpPort();
        var natt = TestHost.FreeUdpPort();
        var ems = TestHost.FreeTcpPort();
        string[] upArgs = ["up", "--config", TestHost.ExamplePath(), "--ems-listen", $"https://127.0.0.1:{ems}",
            "--ike-port", $"{ike}", "--natt-port", $"{natt}", "--data-plane", "off"];
        using var first = PgateProcess.Start(_cwd, upArgs);
        try
        {
            await first.WaitForAsync("Ctrl-C stops everything.");
            Assert.DoesNotContain("this host has no interface", first.Output, StringComparison.Ordinal);
            // Each of the example's two warnings once: up checks the file, the gateway does not report it again.
            Assert.Equal(2, first.Output.Split('\n').Count(l => l.Contains(": warning: ", StringComparison.Ordinal)));

            // The README's walkthrough: `pgate diagnose …` with no --control, from where `up` runs.
            using var diagnose = PgateProcess.Start(_cwd, ["diagnose", "endpoint", "fctems", "status"]);
            var (exit, output) = await diagnose.ExitAsync();
            Assert.True(exit == 0, output);
            Assert.Contains("EMS1", output, StringComparison.Ordinal);

            // The same ports and data directory: refused before anything binds.
            using var second = PgateProcess.Start(_cwd, upArgs);
            (exit, output) = await second.ExitAsync();
            Assert.Equal(1, exit);
            var data = Path.Combine(_cwd, ".posturegate");
            Assert.Contains($"pgate up: already running (pid {first.Id.ToString(CultureInfo.InvariantCulture)}, data {data})", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

            // Another data directory, the same EMS port: one line, no host stack trace.
            using var third = PgateProcess.Start(_cwd, [.. upArgs, "--data", Path.Combine(_cwd, "other")]);
            (exit, output) = await third.ExitAsync();
            Assert.Equal(1, exit);
            Assert.Contains($"pgate up: the EMS could not start on https://127.0.0.1:{ems}: ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
        finally
        {
            first.Interrupt();
        }
        var (firstExit, firstOutput) = await first.ExitAsync();
        Assert.True(firstExit == 0, firstOutput);
        Assert.False(File.Exists(Path.Combine(_cwd, ".posturegate", "pgate.pid")), "the pid file goes with the process");
    }
}
