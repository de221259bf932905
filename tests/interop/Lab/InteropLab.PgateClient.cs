namespace PostureGate.Interop.Tests.Lab;

// PostureGate's own client in the client namespace (issue 6): `pgate client connect` against
// whichever gateway the lab runs, with the harness's identities (PSK of gw.pg.example, EAP user
// alice) unless a test passes others.
public sealed partial class InteropLab
{
    private static readonly TimeSpan ClientOnceTimeout = TimeSpan.FromSeconds(60);

    public string PgateClientStatusFile => Path.Combine(StateDir, "pgate-client", "status.json");

    /// <summary><c>pgate client connect --once</c>: connect, report, disconnect; the result carries
    /// its exit code and output.</summary>
    public Task<CommandResult> RunPgateClientOnceAsync(PgateClientOptions? options = null, params string[] extraArgs) =>
        StartLab(_env, ClientOnceTimeout, [.. PgateClientArgs(options ?? new PgateClientOptions()), "--once", .. extraArgs]).Completion;

    /// <summary><c>pgate client connect</c> left running (the caller disposes it).</summary>
    public PgateClientRun StartPgateClient(PgateClientOptions? options = null, params string[] extraArgs)
    {
        var process = StartLab(_env, DaemonLifetime, [.. PgateClientArgs(options ?? new PgateClientOptions()), .. extraArgs]);
        var run = new PgateClientRun(process, PgateClientStatusFile);
        _liveLogs.Add(("pgate client", () => run.Output));
        return run;
    }

    /// <summary>Waits until the running client reports <c>connected</c> with a virtual IP.</summary>
    public async Task<PostureGate.Client.ClientStatus> WaitForPgateClientConnectedAsync(PgateClientRun run)
    {
        PostureGate.Client.ClientStatus? status = null;
        await WaitForAsync(() =>
        {
            status = run.ReadStatus();
            return Task.FromResult(status is { State: "connected", VirtualIp: not null } || run.Completion.IsCompleted);
        }, StepTimeout, $"pgate client to connect (status file {run.StatusFile})");
        if (status is not { State: "connected" })
        {
            Assert.Fail(Explain($"pgate client exited without connecting:\n{await run.Completion}"));
        }
        return status!;
    }

    private string[] PgateClientArgs(PgateClientOptions o)
    {
        var dir = Path.GetDirectoryName(PgateClientStatusFile)!;
        Directory.CreateDirectory(dir);
        var psk = Path.Combine(dir, "psk");
        var password = Path.Combine(dir, "password");
        File.WriteAllText(psk, o.Psk);
        File.WriteAllText(password, o.Password);
        File.SetUnixFileMode(psk, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(password, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return
        [
            "exec", RunId, "c", DotnetHost(), PgateDll(), "client", "connect",
            "--gateway", o.Gateway ?? GatewayIp, "--gateway-id", o.GatewayId, "--user", o.User,
            "--psk-file", psk, "--password-file", password, "--status-file", PgateClientStatusFile,
            // The device enrolled by RegisterEndpointAsync: same key and certificate, no code needed.
            "--device-dir", PgateDeviceDir,
        ];
    }
}

/// <summary>Identities `pgate client` logs in with; the defaults are what both lab gateways accept.</summary>
public sealed record PgateClientOptions
{
    /// <summary>The address to connect to; default the lab gateway's (a relay in front of it, say).</summary>
    public string? Gateway { get; init; }

    public string User { get; init; } = "alice";

    public string Password { get; init; } = "alice-lab-password";

    public string GatewayId { get; init; } = "gw.pg.example";

    public string Psk { get; init; } = "lab-psk-not-a-secret";
}
