using System.Security.Cryptography;
using PostureGate.Interop.Tests.Swanctl;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Lab;

public enum LabNamespace
{
    Client,
    Gateway,
    Lan,
}

public enum CharonInstance
{
    Client,
    Gateway,
}

public enum LabLog
{
    ClientCharon,
    GatewayCharon,
    Pgate,
}

/// <summary>
/// One interop run: three namespaces named after a fresh run id, a strongSwan client, and either
/// the strongSwan gateway (harness check) or pgate in the gateway namespace. Everything goes
/// through harness/lab.sh, so a developer can repeat any step by hand. Each step is bounded;
/// <see cref="DisposeAsync"/> always removes the namespaces. If the test host dies instead,
/// the next <c>lab.sh up</c> (or <c>lab.sh sweep</c>) removes them: the host is their owner.
/// </summary>
public sealed partial class InteropLab : IAsyncDisposable
{
    public const string ClientIp = "198.51.100.2";
    public const string GatewayIp = "198.51.100.1";
    public const string GatewayLanIp = "203.0.113.1";
    public const string LanHostIp = "203.0.113.10";
    public const string FirstPoolAddress = "192.0.2.200";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private const int LabWaitSeconds = 20;
    private const int LogTailLines = 40;

    private readonly ITestOutputHelper? _output;
    private readonly string _harness = Path.Combine(AppContext.BaseDirectory, "harness");
    private readonly string _base;
    private readonly Dictionary<string, string> _env;
    private DirectoryInfo? _configDir;
    private bool _disposed;

    private InteropLab(ITestOutputHelper? output, string runId)
    {
        _output = output;
        RunId = runId;
        _base = Environment.GetEnvironmentVariable("PGI_BASE") is { Length: > 0 } b ? b : Path.Combine(Path.GetTempPath(), "pgi");
        _env = new Dictionary<string, string>
        {
            ["PGI_BASE"] = _base,
            ["PGI_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGI_TIMEOUT"] = LabWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>8 hex digits: the suffix of this run's namespaces and state directory.</summary>
    public string RunId { get; }

    /// <summary>$PGI_BASE/&lt;run&gt;: rendered configs, the charons' /run dirs, logs, pgate.sock.</summary>
    public string StateDir => Path.Combine(_base, RunId);

    public string PgateControlSocket => Path.Combine(StateDir, "gw", "pgate.sock");

    public string Namespace(LabNamespace ns) => $"pgi-{RunId}-{ns switch { LabNamespace.Client => 'c', LabNamespace.Gateway => 'g', _ => 'l' }}";

    /// <summary>Checks the machine (skips, or fails under PG_REQUIRE_NETNS=1) and brings the
    /// namespaces up.</summary>
    public static async Task<InteropLab> CreateAsync(ITestOutputHelper? output = null)
    {
        LabRequirements.EnsureOrSkip();
        var lab = new InteropLab(output, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var up = await lab.LabAsync("up", lab.RunId);
        if (!up.Succeeded)
        {
            await lab.DisposeAsync();
            throw new InteropLabException($"lab.sh up failed:\n{up}");
        }
        return lab;
    }

    // ------------------------------------------------------------------ strongSwan

    public async Task StartClientAsync(ClientOptions? options = null)
    {
        options ??= new ClientOptions();
        var env = new Dictionary<string, string>(_env);
        void Set(string key, string? value)
        {
            if (value is not null)
            {
                env[key] = value;
            }
        }
        Set("PGI_EAP_ID", options.EapIdentity);
        Set("PGI_EAP_PASSWORD", options.Password);
        Set("PGI_GW_ID", options.GatewayId);
        Set("PGI_PSK", options.Psk);
        Set("PGI_FRAGMENT_SIZE", options.FragmentSize?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("PGI_RETRANSMIT_TRIES", options.RetransmitTries?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("PGI_FOLLOW_REDIRECTS", options.FollowRedirects is { } follow ? (follow ? "yes" : "no") : null);
        if (options.ExtraSwanctlConf is { } extra)
        {
            var file = Path.Combine(StateDir, "client-extra.conf");
            await File.WriteAllTextAsync(file, extra);
            env["PGI_EXTRA_CONF"] = file;
        }
        var r = await RunLabAsync(env, StepTimeout, "charon-start", RunId, "client");
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"strongSwan client did not start:\n{r}"));
        }
    }

    /// <summary>The strongSwan reference gateway (harness/conf/gw.swanctl.conf.in).</summary>
    public async Task StartStrongSwanGatewayAsync()
    {
        var r = await LabAsync("charon-start", RunId, "gw");
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"strongSwan gateway did not start:\n{r}"));
        }
    }

    public Task<CommandResult> SwanctlAsync(CharonInstance instance, TimeSpan timeout, params string[] args) =>
        RunLabAsync(_env, timeout, ["swanctl", RunId, instance == CharonInstance.Client ? "client" : "gw", .. args]);

    /// <summary>swanctl --initiate of CONN/CHILD on the client; a failed initiate is a result,
    /// not an exception (negative tests look at the output).</summary>
    public Task<CommandResult> InitiateAsync(string conn, string child = "lan", int timeoutSeconds = 30) =>
        SwanctlAsync(CharonInstance.Client, TimeSpan.FromSeconds(timeoutSeconds + 15),
            "--initiate", "--ike", conn, "--child", child, "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Initiates CONN and returns its IKE_SA with the CHILD_SA installed; fails the test
    /// (with the logs) otherwise.</summary>
    public async Task<IkeSaInfo> InitiateEstablishedAsync(string conn, string child = "lan")
    {
        var r = await InitiateAsync(conn, child);
        if (!r.Succeeded)
        {
            Assert.Fail(Explain($"initiate {conn} failed:\n{r}"));
        }
        var sas = await ListSasAsync(conn);
        var sa = sas.FirstOrDefault(s => s.IsEstablished && s.Children.Any(c => c.Name == child && c.IsInstalled));
        if (sa is null)
        {
            Assert.Fail(Explain($"initiate {conn} succeeded but no ESTABLISHED IKE_SA with an INSTALLED {child}:\n{r}"));
        }
        return sa;
    }

    public async Task<IReadOnlyList<IkeSaInfo>> ListSasAsync(string? conn = null, CharonInstance instance = CharonInstance.Client)
    {
        string[] args = conn is null ? ["--list-sas", "--pretty"] : ["--list-sas", "--pretty", "--ike", conn];
        var r = await SwanctlAsync(instance, StepTimeout, args);
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"swanctl --list-sas failed:\n{r}"));
        }
        if (!SwanctlSasParser.TryParse(r.StdOut, out var sas, out var error))
        {
            throw new InteropLabException($"cannot read swanctl --list-sas output ({error}):\n{r}");
        }
        return sas;
    }

    /// <summary>Polls list-sas until <paramref name="done"/> holds; fails the test after
    /// <paramref name="limit"/> with the last listing and the logs.</summary>
    public async Task<IReadOnlyList<IkeSaInfo>> WaitForSasAsync(Func<IReadOnlyList<IkeSaInfo>, bool> done, TimeSpan limit,
        string what, string? conn = null)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var sas = await ListSasAsync(conn);
            if (done(sas))
            {
                return sas;
            }
            if (DateTime.UtcNow > until)
            {
                Assert.Fail(Explain($"waited {limit.TotalSeconds:0} s for {what}; last list-sas:\n" + string.Join('\n', sas)));
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Terminates CONN's IKE_SAs, or every IKE_SA of the client when conn is null.</summary>
    public async Task<CommandResult> TerminateAsync(string? conn = null)
    {
        if (conn is not null)
        {
            return await SwanctlAsync(CharonInstance.Client, StepTimeout, "--terminate", "--ike", conn, "--timeout", "15");
        }
        CommandResult? last = null;
        foreach (var sa in await ListSasAsync())
        {
            last = await SwanctlAsync(CharonInstance.Client, StepTimeout, "--terminate", "--ike-id",
                sa.UniqueId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "15");
            if (!last.Succeeded)
            {
                return last;
            }
        }
        return last ?? new CommandResult("(no IKE_SA to terminate)", 0, false, "", "");
    }

    /// <summary>Asks the client to rekey the CHILD_SA; charon does it asynchronously, so callers
    /// wait for the new SA with <see cref="WaitForSasAsync"/>.</summary>
    public Task<CommandResult> RekeyChildAsync(string child = "lan") =>
        SwanctlAsync(CharonInstance.Client, StepTimeout, "--rekey", "--child", child);

    public Task<CommandResult> RekeyIkeAsync(string conn) =>
        SwanctlAsync(CharonInstance.Client, StepTimeout, "--rekey", "--ike", conn);

    // ------------------------------------------------------------------ traffic

    public async Task<PingResult> PingFromClientAsync(string srcIp, string dst = LanHostIp, int count = 3) =>
        PingResult.From(await ExecAsync(LabNamespace.Client, TimeSpan.FromSeconds(count + 15),
            "ping", "-n", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "0.2", "-W", "2", "-I", srcIp, dst));

    public Task<CommandResult> ExecAsync(LabNamespace ns, TimeSpan timeout, params string[] argv) =>
        RunLabAsync(_env, timeout, ["exec", RunId, Namespace(ns)[^1..], .. argv]);

    public Task<CommandResult> ExecInGatewayAsync(params string[] argv) => ExecAsync(LabNamespace.Gateway, StepTimeout, argv);

    public Task<CommandResult> ExecInClientAsync(params string[] argv) => ExecAsync(LabNamespace.Client, StepTimeout, argv);

    public Task<CommandResult> ExecInLanAsync(params string[] argv) => ExecAsync(LabNamespace.Lan, StepTimeout, argv);

    /// <summary>
    /// Sends <paramref name="bytes"/> random bytes over TCP from <paramref name="srcIp"/> in the
    /// client namespace to the LAN host, which stores what it receives; the result compares
    /// length and SHA-256 of both ends. With <paramref name="midway"/>, the sender stops after
    /// half the bytes with the connection open, runs it, then sends the rest.
    /// </summary>
    public async Task<TcpTransferResult> TransferToLanAsync(string srcIp, int bytes, Func<Task>? midway = null,
        int port = 5001, int connectTimeoutSeconds = 10)
    {
        var tag = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var payload = Path.Combine(StateDir, $"tcp-{tag}.sent");
        var received = Path.Combine(StateDir, $"tcp-{tag}.received");
        var gate = Path.Combine(StateDir, $"tcp-{tag}.gate");
        var data = RandomNumberGenerator.GetBytes(bytes);
        await File.WriteAllBytesAsync(payload, data);
        var sentSha = Convert.ToHexStringLower(SHA256.HashData(data));

        var sink = StartLab(_env, TimeSpan.FromSeconds(LabWaitSeconds * 3 + 10), "tcp-sink", RunId, tag, received);
        await WaitUntilAsync(async () => (await ExecInLanAsync("ss", "-Hltn", $"sport = :{tag}")).StdOut.Length > 0,
            TimeSpan.FromSeconds(10), $"the LAN host listening on TCP {tag}", sink.Completion);

        var env = new Dictionary<string, string>(_env) { ["PGI_CONNECT_TIMEOUT"] = connectTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        string[] sendArgs = midway is null
            ? ["tcp-send", RunId, srcIp, tag, payload]
            : ["tcp-send", RunId, srcIp, tag, payload, (bytes / 2).ToString(System.Globalization.CultureInfo.InvariantCulture), gate];
        var sender = StartLab(env, TimeSpan.FromSeconds(LabWaitSeconds * 3 + 10), sendArgs);
        if (midway is not null)
        {
            await WaitUntilAsync(() => Task.FromResult(File.Exists(gate + ".half")), TimeSpan.FromSeconds(LabWaitSeconds),
                "the sender to pause halfway", sender.Completion);
            if (!sender.Completion.IsCompleted)
            {
                await midway();
            }
            await File.WriteAllTextAsync(gate, "go");
        }
        var sent = await sender.Completion;
        // After a complete send the sink sees EOF at once (nc -N); a failed or blocked one may
        // never reach it: a moment for stray bytes, then stop it.
        var grace = TimeSpan.FromSeconds(sent.Succeeded ? 10 : 1);
        if (await Task.WhenAny(sink.Completion, Task.Delay(grace)) != sink.Completion)
        {
            sink.Kill();
        }
        var sunk = await sink.Completion;
        var got = File.Exists(received) ? await File.ReadAllBytesAsync(received) : [];
        return new TcpTransferResult(bytes, sentSha, got.Length, Convert.ToHexStringLower(SHA256.HashData(got)), sent, sunk);
    }

    // ------------------------------------------------------------------ pgate

    /// <summary>Writes <paramref name="configText"/> (FortiOS CLI) to a temporary directory and
    /// runs <c>dotnet pgate.dll gateway --config FILE --control StateDir/gw/pgate.sock</c> in the
    /// gateway namespace; returns once it has bound UDP 500. <paramref name="extraArgs"/> are
    /// appended (e.g. --verbose while debugging).</summary>
    public async Task StartPgateGatewayAsync(string configText, params string[] extraArgs)
    {
        var dll = PgateDll();
        _configDir ??= Directory.CreateTempSubdirectory("pgi-pgate-");
        var config = Path.Combine(_configDir.FullName, "pgate.conf");
        await File.WriteAllTextAsync(config, configText);
        var env = new Dictionary<string, string>(_env) { ["PGI_DOTNET"] = DotnetHost() };
        var r = await RunLabAsync(env, TimeSpan.FromSeconds(LabWaitSeconds + 20), ["pgate-start", RunId, config, dll, .. extraArgs]);
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"pgate gateway did not come up:\n{r}"));
        }
    }

    /// <summary>Replaces the running gateway's configuration file with <paramref name="configText"/>
    /// and sends it SIGHUP (`systemctl reload`), as an operator does.</summary>
    public async Task ReloadPgateGatewayAsync(string configText)
    {
        if (_configDir is null)
        {
            throw new InvalidOperationException("pgate gateway was not started by this lab");
        }
        await File.WriteAllTextAsync(Path.Combine(_configDir.FullName, "pgate.conf"), configText);
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(StateDir, "gw", "pgate.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var r = await LabProcess.RunAsync("kill", ["-HUP", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], StepTimeout);
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"SIGHUP to pgate gateway failed:\n{r}"));
        }
    }

    /// <summary><c>dotnet pgate.dll diagnose ARGS --control SOCK</c> (from the host namespace:
    /// the control socket is a path).</summary>
    public Task<CommandResult> PgateDiagnoseAsync(params string[] args) =>
        LabProcess.RunAsync(DotnetHost(), [PgateDll(), "diagnose", .. args, "--control", PgateControlSocket], StepTimeout);

    // ------------------------------------------------------------------ diagnostics

    public string LogTail(LabLog log, int lines = LogTailLines)
    {
        var path = log switch
        {
            LabLog.ClientCharon => Path.Combine(StateDir, "client", "charon.log"),
            LabLog.GatewayCharon => Path.Combine(StateDir, "gw", "charon.log"),
            _ => Path.Combine(StateDir, "gw", "pgate.log"),
        };
        try
        {
            return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "";
        }
        catch (IOException e)
        {
            return $"({path}: {e.Message})";
        }
    }

    public string ClientLog() => ReadLog(Path.Combine(StateDir, "client", "charon.log"));

    /// <summary><paramref name="message"/> followed by the tail of every log this run has.</summary>
    public string Explain(string message)
    {
        var text = new System.Text.StringBuilder(message);
        foreach (var log in Enum.GetValues<LabLog>())
        {
            var tail = LogTail(log);
            if (tail.Length > 0)
            {
                text.Append($"\n--- {log} (last {LogTailLines} lines) ---\n").Append(tail);
            }
        }
        foreach (var (name, read) in _liveLogs)
        {
            var tail = string.Join('\n', read().Split('\n').TakeLast(LogTailLines));
            if (tail.Trim().Length > 0)
            {
                text.Append($"\n--- {name} (last {LogTailLines} lines) ---\n").Append(tail);
            }
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Write(Explain($"interop run {RunId}: logs at teardown"));
        // down kills everything inside the namespaces (charons, pgate, nc) and deletes them.
        var down = await LabAsync("down", RunId);
        if (!down.Succeeded)
        {
            Write($"lab.sh down {RunId} failed (the next lab.sh up sweeps it once this process is gone):\n{down}");
        }
        try
        {
            _configDir?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // ------------------------------------------------------------------ plumbing

    private Task<CommandResult> LabAsync(params string[] args) => RunLabAsync(_env, StepTimeout, args);

    private Task<CommandResult> RunLabAsync(IReadOnlyDictionary<string, string> env, TimeSpan timeout, params string[] args) =>
        StartLab(env, timeout, args).Completion;

    // Through bash: the build copies harness/ without the executable bit.
    private LabProcess StartLab(IReadOnlyDictionary<string, string> env, TimeSpan timeout, params string[] args) =>
        LabProcess.Start("bash", [Path.Combine(_harness, "lab.sh"), .. args], timeout, env);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, Task giveUpWhenDone)
    {
        var until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (giveUpWhenDone.IsCompleted)
            {
                return;
            }
            if (DateTime.UtcNow > until)
            {
                throw new InteropLabException($"waited {limit.TotalSeconds:0} s for {what}");
            }
            await Task.Delay(PollInterval);
        }
    }

    private static string ReadLog(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    internal static string PgateDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "pgate.dll");
        return File.Exists(dll) ? dll : throw new InteropLabException($"{dll} missing: the test project references PostureGate.Cli, rebuild it");
    }

    internal static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        return Environment.ProcessPath is { } p && Path.GetFileName(p) == "dotnet" ? p : "dotnet";
    }

    private void Write(string text)
    {
        try
        {
            _output?.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // The test already finished: nowhere to write.
        }
    }
}
