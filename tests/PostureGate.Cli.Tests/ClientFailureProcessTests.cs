// `pgate client connect` failing before IKE, as separate processes: each failure is one line
// on stderr naming the problem and what to check, with its own exit code, never a stack trace;
// a permanent one (a fingerprint that does not match) stops even without --once.
using PostureGate.Client;

namespace PostureGate.Cli.Tests;

public sealed class ClientFailureProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgclf").FullName;
    private readonly string _psk;
    private readonly string _password;

    public ClientFailureProcessTests()
    {
        _psk = Path.Combine(_dir, "psk");
        _password = Path.Combine(_dir, "password");
        File.WriteAllText(_psk, "example-dialup-psk\n");
        File.WriteAllText(_password, "example-userc-password\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string AnyFingerprint = string.Join(':', Enumerable.Repeat("AB", 32));

    private string[] Connect(params string[] extra) =>
        ["client", "connect", "--gateway", $"127.0.0.1:{TestHost.FreeUdpPort()}", "--psk-file", _psk, "--user", "userc",
            "--status-file", Path.Combine(_dir, "status.json"), .. extra];

    private async Task<string> FailsWithAsync(int exitCode, string[] args)
    {
        using var client = PgateProcess.Start(_dir, args);
        var (exit, output) = await client.ExitAsync();
        Assert.True(exit == exitCode, $"exit {exit}, expected {exitCode}:\n{output}");
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        return Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("pgate client: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_password_file_is_refused_before_anything_is_sent()
    {
        var line = await FailsWithAsync(ClientExitCodes.Usage, Connect("--once"));
        Assert.Equal("pgate client: --password-file FILE is missing: the EAP password of --user userc", line);
    }

    [Fact]
    public async Task A_gateway_name_that_does_not_resolve_is_exit_3()
    {
        string[] args = ["client", "connect", "--gateway", "no-such-gateway.invalid", "--psk-file", _psk, "--user", "userc", "--password-file", _password, "--once"];
        var line = await FailsWithAsync(ClientExitCodes.GatewayUnresolved, args);
        Assert.StartsWith("pgate client: --gateway no-such-gateway.invalid: the name does not resolve", line, StringComparison.Ordinal);
        Assert.EndsWith("check the name and this machine's DNS", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_malformed_fingerprint_is_a_command_line_error()
    {
        var ems = $"https://127.0.0.1:{TestHost.FreeTcpPort()}";
        var missing = await FailsWithAsync(ClientExitCodes.Usage, Connect("--password-file", _password, "--ems", ems, "--once"));
        Assert.StartsWith("pgate client: --ems needs --ems-fingerprint", missing, StringComparison.Ordinal);
        var malformed = await FailsWithAsync(ClientExitCodes.Usage, Connect("--password-file", _password, "--ems", ems, "--ems-fingerprint", "3F:A1", "--once"));
        Assert.StartsWith("pgate client: --ems-fingerprint: not a SHA-256 fingerprint", malformed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ems_that_is_down_is_exit_4_with_once()
    {
        var port = TestHost.FreeTcpPort();
        var line = await FailsWithAsync(ClientExitCodes.EmsUnreachable,
            Connect("--password-file", _password, "--ems", $"https://127.0.0.1:{port}", "--ems-fingerprint", AnyFingerprint, "--once"));
        Assert.StartsWith($"pgate client: the EMS at https://127.0.0.1:{port}/ cannot be reached", line, StringComparison.Ordinal);
        Assert.EndsWith($"check that it runs, --ems, and that TCP {port} is open to it", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ems_that_is_down_is_retried_with_backoff_without_once_and_says_so()
    {
        var port = TestHost.FreeTcpPort();
        using var client = PgateProcess.Start(_dir,
            Connect("--password-file", _password, "--ems", $"https://127.0.0.1:{port}", "--ems-fingerprint", AnyFingerprint));
        await client.WaitForAsync("reconnecting in ");
        client.Interrupt();
        var (exit, output) = await client.ExitAsync();
        Assert.Contains($"error: the EMS at https://127.0.0.1:{port}/ cannot be reached (Connection refused); check that it runs, --ems, and that TCP {port} is open to it; transient, retrying", output, StringComparison.Ordinal);
        Assert.Contains("reconnecting in 1 s", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Equal(ClientExitCodes.ConnectionFailed, exit);
    }

    [Fact]
    public async Task A_fingerprint_that_does_not_match_stops_the_client_even_without_once()
    {
        var port = TestHost.FreeTcpPort();
        using var ems = PgateProcess.Start(_dir, ["ems", "--data", Path.Combine(_dir, "ems"), "--listen", $"https://127.0.0.1:{port}"]);
        try
        {
            await ems.WaitForAsync("certificate fingerprint (SHA-256): ");
            // Without --once the client reconnects after transient failures; this one is permanent.
            var line = await FailsWithAsync(ClientExitCodes.EmsFingerprintMismatch,
                Connect("--password-file", _password, "--ems", $"https://127.0.0.1:{port}", "--ems-fingerprint", AnyFingerprint));
            Assert.Equal($"pgate client: the EMS at https://127.0.0.1:{port}/ did not present the certificate --ems-fingerprint names; check the fingerprint `pgate ems` printed (a reinstalled EMS has a new one)", line);
        }
        finally
        {
            ems.Interrupt();
        }
        await ems.ExitAsync();
    }
}
