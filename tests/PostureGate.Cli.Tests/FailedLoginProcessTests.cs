// A failed login at a running gateway (`pgate up --seed-auth`, a real `pgate client` with the PSK and a wrong password):
// one warning line with an ISO 8601 time stamp and zone, and one audit line that is a JSON
// object alone on its line (user, peer, phase1, reason) — or, with --audit-log, in its own file.
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PostureGate.Cli.Tests;

public sealed class FailedLoginProcessTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("pgfail").FullName;

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [Fact]
    public async Task A_wrong_password_is_one_warning_and_one_standalone_audit_line()
    {
        var ike = TestHost.FreeUdpPort();
        var natt = TestHost.FreeUdpPort();
        var ems = TestHost.FreeTcpPort();
        using var up = PgateProcess.Start(_cwd, ["up", "--config", TestHost.ExamplePath(), "--ems-listen", $"https://127.0.0.1:{ems}",
            "--ike-port", $"{ike}", "--natt-port", $"{natt}", "--data-plane", "off", "--seed-auth"]);
        try
        {
            await up.WaitForAsync("Ctrl-C stops everything.");
            File.WriteAllText(Path.Combine(_cwd, "psk"), "example-dialup-psk\n");
            File.WriteAllText(Path.Combine(_cwd, "password"), "not-userc-password\n");
            using var client = PgateProcess.Start(_cwd, ["client", "connect", "--gateway", $"127.0.0.1:{ike}", "--natt-port", $"{natt}",
                "--psk-file", "psk", "--user", "userc", "--password-file", "password", "--once", "--status-file", Path.Combine(_cwd, "status.json")]);
            var (exit, clientOutput) = await client.ExitAsync();
            Assert.True(exit == 1, clientOutput);
            await up.WaitForAsync("\"event\":\"auth-failed\"");
        }
        finally
        {
            up.Interrupt();
        }
        await up.ExitAsync();
        var lines = up.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

        var warning = Assert.Single(lines, l => l.Contains("authentication failed for userc", StringComparison.Ordinal));
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d warn PostureGate\.Gateway: \S+: authentication failed for userc from 127\.0\.0\.1:\d+: EAP authentication failed: EAP-MSCHAPv2 failed for 'userc': wrong password$"), warning);
        var audit = Assert.Single(lines, l => l.Contains("\"event\":\"auth-failed\"", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(audit); // the whole line: nothing before or after the object
        Assert.Equal("userc", doc.RootElement.GetProperty("user").GetString());
        Assert.StartsWith("127.0.0.1:", doc.RootElement.GetProperty("peer").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("tunnel").GetString()));
        Assert.Equal("EAP authentication failed: EAP-MSCHAPv2 failed for 'userc': wrong password", doc.RootElement.GetProperty("reason").GetString());
    }

    /// <summary>Issue 13: `--audit-log FILE` puts the audit lines in their own owner-only file (one JSON object a
    /// line, none on the console), and SIGHUP reopens it after a rotation moved it away.</summary>
    [Fact]
    public async Task Audit_log_file_is_owner_only_json_lines_and_reopened_on_sighup()
    {
        var ike = TestHost.FreeUdpPort();
        var natt = TestHost.FreeUdpPort();
        var ems = TestHost.FreeTcpPort();
        var audit = Path.Combine(_cwd, "audit.jsonl");
        using var up = PgateProcess.Start(_cwd, ["up", "--config", TestHost.ExamplePath(), "--ems-listen", $"https://127.0.0.1:{ems}",
            "--ike-port", $"{ike}", "--natt-port", $"{natt}", "--data-plane", "off", "--seed-auth", "--audit-log", audit]);
        File.WriteAllText(Path.Combine(_cwd, "psk"), "example-dialup-psk\n");
        File.WriteAllText(Path.Combine(_cwd, "password"), "not-userc-password\n");
        async Task FailOneLoginAsync()
        {
            using var client = PgateProcess.Start(_cwd, ["client", "connect", "--gateway", $"127.0.0.1:{ike}", "--natt-port", $"{natt}",
                "--psk-file", "psk", "--user", "userc", "--password-file", "password", "--once"]);
            var (exit, output) = await client.ExitAsync();
            Assert.True(exit == 1, output);
        }
        string[] rotated, reopened;
        try
        {
            await up.WaitForAsync("Ctrl-C stops everything.");
            await FailOneLoginAsync();
            await up.WaitForAsync("authentication failed for userc");
            Assert.True(await EventuallyAsync(() => File.ReadAllText(audit).Contains("\"auth-failed\"", StringComparison.Ordinal)), File.ReadAllText(audit));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(audit));

            File.Move(audit, audit + ".1");
            up.Hangup();
            await up.WaitForAsync("configuration reloaded from");
            await FailOneLoginAsync();
            Assert.True(await EventuallyAsync(() => File.Exists(audit) && File.ReadAllText(audit).Contains("\"auth-failed\"", StringComparison.Ordinal)), up.Output);
            rotated = File.ReadAllLines(audit + ".1");
            reopened = File.ReadAllLines(audit);
        }
        finally
        {
            up.Interrupt();
        }
        await up.ExitAsync();

        Assert.DoesNotContain("\"event\"", up.Output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(audit));
        foreach (var line in rotated.Concat(reopened))
        {
            using var doc = JsonDocument.Parse(line); // each line a whole JSON object
            Assert.True(doc.RootElement.TryGetProperty("event", out _), line);
        }
        Assert.Single(rotated, l => l.Contains("\"auth-failed\"", StringComparison.Ordinal));
        Assert.Single(reopened, l => l.Contains("\"auth-failed\"", StringComparison.Ordinal));
    }

    // Polls a file the gateway appends to; a generous ceiling, not a timing claim.
    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var until = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < until; await Task.Delay(100))
        {
            if (condition())
                return true;
        }
        return false;
    }
}
