using System.Text.Json;

namespace PostureGate.Interop.Tests.Lab;

// The posture side of the lab (issue 5): a real `pgate ems` in the gateway namespace on
// 127.0.0.1, endpoints enrolled through its HTTPS API (invitation + CSR, then mutual TLS) and
// tagged through its admin CLI, and
// the gateway's ike debug stream.  Everything started here runs inside the namespaces, so
// `lab.sh down` stops it with the rest.
public sealed partial class InteropLab
{
    public const int EmsPort = 8013;

    private static readonly TimeSpan DaemonLifetime = TimeSpan.FromMinutes(5);
    private readonly List<(string Name, Func<string> Text)> _liveLogs = [];

    /// <summary>Starts <c>pgate ems --data StateDir/ems --listen https://127.0.0.1:8013</c> in the
    /// gateway namespace and returns what it printed on its first start. With
    /// <paramref name="listenAddress"/> 198.51.100.1 a client in the client namespace reaches it too;
    /// <paramref name="extraArgs"/> are appended (e.g. --metrics).</summary>
    public Task<LabEms> StartEmsAsync(string listenAddress = "127.0.0.1", params string[] extraArgs) =>
        StartEmsWithLauncherAsync(listenAddress, [], extraArgs);

    /// <summary>As above, with <paramref name="launcher"/> before the command (e.g. <c>env LD_PRELOAD=… </c>:
    /// settings for the EMS process only).</summary>
    public async Task<LabEms> StartEmsWithLauncherAsync(string listenAddress, IReadOnlyList<string> launcher, params string[] extraArgs)
    {
        LabRequirements.EnsureToolOrSkip("curl", "curl");
        var data = Path.Combine(StateDir, "ems");
        Directory.CreateDirectory(data);
        var url = $"https://{listenAddress}:{EmsPort}";
        var process = StartLab(_env, DaemonLifetime,
            ["exec", RunId, "g", .. launcher, DotnetHost(), PgateDll(), "ems", "--data", data, "--listen", url, .. extraArgs]);
        _liveLogs.Add(("pgate ems", () => process.OutputSoFar));
        LabEms? ems = null;
        await WaitUntilAsync(() => Task.FromResult(LabEms.TryParseBanner(process.OutputSoFar, data, out ems)),
            StepTimeout, "pgate ems to print its URL, serial, fingerprint and API keys", process.Completion);
        if (ems is null)
        {
            throw new InteropLabException(Explain($"pgate ems exited:\n{await process.Completion}"));
        }
        return ems;
    }

    /// <summary>What a process this lab started and follows (`pgate ems`, `pgate client`…) printed so far; empty when none by that name.</summary>
    public string LiveLog(string name) => string.Join('\n', _liveLogs.Where(l => l.Name == name).Select(l => l.Text()));

    /// <summary>Where the lab's devices keep their keys and EMS certificates (`--device-dir`): the
    /// enrollment below and `pgate client connect` share it, so a client that connects later is
    /// the device that enrolled.</summary>
    public string PgateDeviceDir => Path.Combine(StateDir, "devices");

    /// <summary>Enrolls endpoint <paramref name="uid"/> as a device does (issue 10): an invitation
    /// from the admin CLI (<c>pgate ems invite create</c>), then <c>pgate client enroll</c> in the
    /// gateway namespace — its own key, a CSR, the EMS-signed certificate in <see cref="PgateDeviceDir"/>
    /// — reporting <paramref name="ip"/> as its own address over mutual TLS.</summary>
    public async Task RegisterEndpointAsync(LabEms ems, string uid, string ip, string host = "strongswan-client")
    {
        var invite = await LabProcess.RunAsync(DotnetHost(), [PgateDll(), "ems", "invite", "create", "--uses", "1", "--expires", "1h", "--data", ems.DataDirectory], StepTimeout);
        var code = System.Text.RegularExpressions.Regex.Match(invite.StdOut, @"(?m)^invitation code: (\S+)\s*$");
        if (!invite.Succeeded || !code.Success)
        {
            throw new InteropLabException(Explain($"pgate ems invite create failed:\n{invite}"));
        }
        var dir = Path.Combine(StateDir, "enroll-" + uid);
        Directory.CreateDirectory(dir);
        var inviteFile = Path.Combine(dir, "invite");
        var factsFile = Path.Combine(dir, "facts.json");
        File.WriteAllText(inviteFile, code.Groups[1].Value);
        File.SetUnixFileMode(inviteFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(factsFile, JsonSerializer.Serialize(new Dictionary<string, string> { ["host"] = host }));
        var r = await RunLabAsync(_env, StepTimeout,
            ["exec", RunId, "g", DotnetHost(), PgateDll(), "client", "enroll", "--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint,
             "--invite-file", inviteFile, "--device-dir", PgateDeviceDir, "--uid", uid, "--ip", ip, "--facts", factsFile]);
        if (!r.Succeeded || !r.StdOut.Contains($"enrolled as {uid}", StringComparison.OrdinalIgnoreCase))
        {
            throw new InteropLabException(Explain($"enrolling {uid} ({ip}) with the EMS failed:\n{r}"));
        }
    }

    /// <summary><c>pgate ems endpoint revoke UID --data DIR</c> against the running EMS.</summary>
    public async Task RevokeEndpointAsync(LabEms ems, string uid)
    {
        var r = await LabProcess.RunAsync(DotnetHost(), [PgateDll(), "ems", "endpoint", "revoke", uid, "--data", ems.DataDirectory], StepTimeout);
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"pgate ems endpoint revoke {uid} failed:\n{r}"));
        }
    }

    /// <summary><c>pgate ems tag add|remove TAG UID --data DIR</c> against the running EMS.</summary>
    public async Task SetEndpointTagAsync(LabEms ems, string tag, string uid, bool present)
    {
        var r = await LabProcess.RunAsync(DotnetHost(),
            [PgateDll(), "ems", "tag", present ? "add" : "remove", tag, uid, "--data", ems.DataDirectory], StepTimeout);
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"pgate ems tag {(present ? "add" : "remove")} {tag} {uid} failed:\n{r}"));
        }
    }

    /// <summary>Attaches to the gateway's debug log and sets `debug application ike -1`. The
    /// stream announces that no level is set yet; that line proves it is attached before the
    /// level goes up, so no line of what the test does next is missed.</summary>
    public async Task<PgateDebugStream> AttachPgateDebugAsync()
    {
        var reset = await PgateDiagnoseAsync("debug", "application", "ike", "0");
        if (!reset.Succeeded)
        {
            throw new InteropLabException(Explain($"diagnose debug application ike 0 failed:\n{reset}"));
        }
        var process = LabProcess.Start(DotnetHost(), [PgateDll(), "diagnose", "debug", "enable", "--control", PgateControlSocket], DaemonLifetime);
        var stream = new PgateDebugStream(process);
        _liveLogs.Add(("pgate debug", () => stream.Text));
        await WaitUntilAsync(() => Task.FromResult(stream.Text.Contains("no application debug level set", StringComparison.Ordinal)),
            StepTimeout, "diagnose debug enable to attach", process.Completion);
        var level = await PgateDiagnoseAsync("debug", "application", "ike", "-1");
        if (!level.Succeeded || process.Completion.IsCompleted)
        {
            stream.Dispose();
            throw new InteropLabException(Explain($"attaching to the debug log failed:\n{level}\n{stream.Text}"));
        }
        return stream;
    }

    /// <summary>SIGKILL to this run's `pgate ems` only: its data directory is under the run's own
    /// state directory, so the command line names exactly one process.</summary>
    public async Task KillEmsAsync(LabEms ems)
    {
        var find = await ExecInGatewayAsync("pgrep", "-f", $"ems --data {ems.DataDirectory} ");
        var pids = find.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(pids.Length == 1, Explain($"expected exactly one pgate ems process:\n{find}"));
        var kill = await ExecInGatewayAsync("kill", "-KILL", pids[0]);
        Assert.True(kill.Succeeded, Explain(kill.ToString()));
    }

    /// <summary>The posture gate's audit lines (JSON, category PostureGate.Audit) of one event
    /// ("decision", "revoked", "revalidated" …) in pgate's log so far, oldest first.</summary>
    public string[] PostureAuditLines(string @event) =>
        [.. LogTail(LabLog.Pgate, int.MaxValue).Split('\n').Where(l => l.Contains($"\"event\":\"{@event}\"", StringComparison.Ordinal))];

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after
    /// <paramref name="limit"/> with <paramref name="what"/> and the logs.</summary>
    public async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail(Explain($"waited {limit.TotalSeconds:0} s for {what}"));
            }
            await Task.Delay(PollInterval);
        }
    }
}
