namespace PostureGate.Interop.Tests.Lab;

// The redirect lab (issue 16, RFC 5685): a second pgate gateway in its own namespace
// (lab.sh gw2-up: pgi-<run>-b, 198.51.100.3 towards the client, 203.0.113.2 towards the LAN, pool
// 192.0.2.128/26 routed to it), and `pgate gateway drain` on either.
public sealed partial class InteropLab
{
    public const string SecondGatewayIp = "198.51.100.3";
    public const string SecondGatewayLanIp = "203.0.113.2";
    public const string SecondGatewayFirstPoolAddress = "192.0.2.130";

    public string SecondPgateControlSocket => Path.Combine(StateDir, "gwb", "pgate.sock");

    /// <summary>Adds the second gateway's namespace and starts pgate there with <paramref name="configText"/>.</summary>
    public async Task StartSecondPgateGatewayAsync(string configText)
    {
        var up = await LabAsync("gw2-up", RunId);
        if (!up.Succeeded)
        {
            throw new InteropLabException(Explain($"lab.sh gw2-up failed:\n{up}"));
        }
        _configDir ??= Directory.CreateTempSubdirectory("pgi-pgate-");
        var config = Path.Combine(_configDir.FullName, "pgate-b.conf");
        await File.WriteAllTextAsync(config, configText);
        var env = new Dictionary<string, string>(_env) { ["PGI_DOTNET"] = DotnetHost() };
        var r = await RunLabAsync(env, TimeSpan.FromSeconds(LabWaitSeconds + 20), ["pgate-start-b", RunId, config, PgateDll()]);
        if (!r.Succeeded)
        {
            throw new InteropLabException(Explain($"second pgate gateway did not come up:\n{r}"));
        }
        _liveLogs.Add(("second pgate gateway", () => ReadLog(Path.Combine(StateDir, "gwb", "pgate.log"))));
    }

    /// <summary><c>pgate gateway drain [--off]</c> against the first gateway (or the second's socket).</summary>
    public Task<CommandResult> PgateDrainAsync(bool on = true, bool second = false) =>
        LabProcess.RunAsync(DotnetHost(), [PgateDll(), "gateway", "drain", .. on ? Array.Empty<string>() : ["--off"],
            "--control", second ? SecondPgateControlSocket : PgateControlSocket], StepTimeout);

    /// <summary><c>pgate diagnose ARGS</c> against the second gateway.</summary>
    public Task<CommandResult> SecondPgateDiagnoseAsync(params string[] args) =>
        LabProcess.RunAsync(DotnetHost(), [PgateDll(), "diagnose", .. args, "--control", SecondPgateControlSocket], StepTimeout);
}
