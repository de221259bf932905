// `pgate up`: the whole system in one process on loopback — the EMS (SQLite under
// ./.posturegate) and the gateway with examples/dialup.conf, every fctems connector
// pointed at the embedded EMS. Without root the IKE ports move above 1024 and only
// the control plane runs; the output says so, and how to connect and diagnose. A client
// enrolls with an invitation code made at each start (kept owner-only in the data
// directory, printed as the path to it, never the code itself). The seed's ztna phase1s run with the
// endpoint's UID proven by that certificate (UpDeviceProof; --seed-auth runs them as written). The gateway
// console listens on https://LISTEN:8443/console; its first admin's password, likewise, is printed as a file's path.
using System.Net;
using PostureGate.Config.Model;
using PostureGate.Config.Secrets;
using PostureGate.Ems;
using PostureGate.Ems.Storage;
using PostureGate.Gateway;
using PostureGate.Gateway.Composition;
using PostureGate.Posture;

namespace PostureGate.Cli.Commands;

internal static class UpRunner
{
    /// <summary>Unprivileged stand-ins for 500/4500 when not root.</summary>
    public const int UnprivilegedIkePort = 5500;
    public const int UnprivilegedNatTPort = 5501;
    /// <summary>The gateway console's port on the listen address (FortiOS's admin-sport is 443; up runs unprivileged).</summary>
    public const int ConsolePort = 8443;

    public sealed record Settings(string ConfigPath, string DataDirectory, string EmsListen, IPAddress Listen, int? IkePort, int? NatTPort,
        DataPlaneMode DataPlane, bool Verbose)
    {
        /// <summary>`--audit-log FILE`: the audit lines in their own file instead of among the console lines.</summary>
        public string? AuditLog { get; init; }

        /// <summary>`--log-format json`: the gateway's and the EMS's log entries as JSON lines.</summary>
        public bool JsonLogs { get; init; }

        /// <summary>`--seed-auth`: the phase1s as written (PSK, the UID as FORTICLIENT_CONNECT claims it), no device proof.</summary>
        public bool SeedAuth { get; init; }
    }

    /// <summary>How this very executable is run again: `pgate` when installed, `dotnet …/pgate.dll` from a build.</summary>
    internal static string Invocation()
    {
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath ?? "pgate");
        return host == "dotnet" ? $"dotnet {typeof(UpRunner).Assembly.Location}" : Environment.ProcessPath ?? "pgate";
    }

    public static async Task<int> RunAsync(Settings s, TextWriter output, TextWriter error, CancellationToken ct)
    {
        // `up` printed the file's diagnostics when it checked it: reloading prints them only if the file broke since.
        var diagnostics = new StringWriter();
        var config = GatewayCommand.LoadOrReport(s.ConfigPath, diagnostics, ConfigKeyFile.InDataDirectory(s.DataDirectory));
        if (config is null)
        {
            await error.WriteAsync(diagnostics.ToString()).ConfigureAwait(false);
            await error.WriteLineAsync($"pgate up: {s.ConfigPath} has errors; not starting").ConfigureAwait(false);
            return 1;
        }
        var root = Environment.IsPrivilegedProcess;
        var ikePort = s.IkePort ?? (root ? config.Settings.IkePort : UnprivilegedIkePort);
        var nattPort = s.NatTPort ?? (root ? config.Settings.IkeNattPort : UnprivilegedNatTPort);
        Directory.CreateDirectory(s.DataDirectory);
        using var instance = UpInstanceLock.TryAcquire(s.DataDirectory, out var running);
        if (instance is null)
        {
            await error.WriteLineAsync("pgate up: " + running).ConfigureAwait(false);
            return 1;
        }
        var emsDir = Path.Combine(s.DataDirectory, "ems");

        EmsServer ems;
        try
        {
            ems = await EmsServer.StartAsync(new EmsOptions { DataDirectory = emsDir, Listen = s.EmsListen, JsonLogs = s.JsonLogs }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await error.WriteLineAsync($"pgate up: the EMS could not start on {s.EmsListen}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using var _ = ems;
        var emsUri = new Uri(ems.Url);
        // The embedded gateway needs the key in clear; on a later start only its digest is stored.
        var gatewayKey = ems.ApiKey ?? ems.Store.RotateApiKey(ApiKeyKind.Gateway);
        var invitePath = Path.GetFullPath(Path.Combine(s.DataDirectory, "invite"));
        var (invited, invite) = ems.Store.CreateInvite(10, TimeSpan.FromDays(1));
        if (!invited.Succeeded || invite is null)
        {
            await error.WriteLineAsync($"pgate up: could not make an invitation code: {invited.Detail}").ConfigureAwait(false);
            return 1;
        }
        WriteOwnerOnly(invitePath, invite);
        UpDeviceProof? proof = null;
        if (!s.SeedAuth)
        {
            var gatewayAddresses = config.Phase1Interfaces.Where(UpDeviceProof.Applies)
                .Select(p => PostureGate.Gateway.Net.ListenAddresses.Of(config.Phase1Interfaces, p, s.Listen, loopbackPerPhase1: true))
                .Append(s.Listen).Where(a => !a.Equals(IPAddress.Any)).Distinct().ToList();
            proof = UpDeviceProof.Create(config, s.DataDirectory, ems.EndpointCaPem, gatewayAddresses, out var proofError);
            if (proofError is not null)
            {
                await error.WriteLineAsync($"pgate up: {proofError}").ConfigureAwait(false);
                return 1;
            }
            if (proof is not null && proof.Load(s.ConfigPath, diagnostics, ConfigKeyFile.InDataDirectory(s.DataDirectory)) is { } proven)
                config = proven;
            else if (proof is not null)
            {
                await error.WriteAsync(diagnostics.ToString()).ConfigureAwait(false);
                await error.WriteLineAsync($"pgate up: {s.ConfigPath} with the device certificate required has errors; not starting (--seed-auth runs it as written)").ConfigureAwait(false);
                return 1;
            }
        }
        EmsConnectorSettings Connector(FctEms f) => new()
        {
            Id = f.Id,
            Name = f.Name ?? $"ems{f.Id}",
            Server = emsUri.Host,
            Port = emsUri.Port,
            SerialNumber = ems.SerialNumber,
            TenantId = ems.TenantId,
            CertificateFingerprint = ems.CertificateFingerprint,
            ApiKey = gatewayKey,
            CallTimeout = f.CallTimeout,
            OutOfSyncThreshold = f.OutOfSyncThreshold,
            PullTags = f.PullTags,
        };
        var control = Path.GetFullPath(Path.Combine(s.DataDirectory, "pgate.sock"));
        var options = new GatewayHostOptions
        {
            ControlPath = control,
            DataPlane = s.DataPlane,
            ListenAddress = s.Listen,
            LoopbackPerPhase1 = true,
            IkePort = ikePort,
            NatTPort = nattPort,
            DataPlaneTuning = PostureGate.Esp.DataPlaneTuning.FromVariables(Environment.GetEnvironmentVariable),
            // The gateway console on loopback, whatever the file says (another up holds 8443: a free port).
            DataDirectory = s.DataDirectory,
            AdminListen = new IPEndPoint(s.Listen, ConsolePort),
        };
        void Started(GatewayHost host)
        {
            var pgate = Invocation();
            output.WriteLine();
            output.WriteLine("PostureGate is up.");
            output.WriteLine($"  configuration   {Path.GetFullPath(s.ConfigPath)}");
            output.WriteLine($"  EMS             {ems.Url}  serial {ems.SerialNumber}  data {Path.GetFullPath(emsDir)}");
            output.WriteLine($"  EMS fingerprint {ems.CertificateFingerprint}");
            // The first admin's password stays in its owner-only file: this output may be a journal or a log file.
            if (ems.ConsoleUrl is { } consoleUrl)
                output.WriteLine(ems.ConsoleAdminFile is { } adminFile
                    ? $"  EMS console     {consoleUrl}  (user admin, password in {Path.GetFullPath(adminFile)})"
                    : $"  EMS console     {consoleUrl}");
            output.WriteLine($"  IKE             {string.Join(", ", host.IkeEndpoints)} (NAT-T {nattPort})");
            foreach (var t in config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic))
                output.WriteLine($"  tunnel {t.Name,-16} {host.ListenAddressOf(t)}:{ikePort}  tags {string.Join(' ', t.RemoteGwZtnaTags.Select(z => z.Name))}");
            output.WriteLine($"  control socket  {control}");
            // The console's password stays in its owner-only file: this output may well be logged.
            foreach (var url in host.AdminUrls)
                output.WriteLine($"  gateway console {url}console  user {PostureGate.Gateway.Admin.FirstAdmin.Name}, password in "
                    + (PostureGate.Gateway.Admin.FirstAdmin.PasswordFile(s.DataDirectory) ?? "(its file is gone: the password set since)"));
            if (host.AdminFingerprint is { } consoleFingerprint)
                output.WriteLine($"  gateway console fingerprint {consoleFingerprint}");
            output.WriteLine(host.DataPlaneActive
                ? "  data plane      ESP over TUN (" + string.Join(", ", config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic).Select(p => p.Name)) + ")"
                : "  data plane      off: carrying ESP needs root (TUN devices); this is the control plane only");
            output.WriteLine();
            output.WriteLine("Connect a client (another terminal), one command per tunnel:");
            string WriteSecretFile(string name, ReadOnlySpan<byte> secret)
            {
                var path = Path.GetFullPath(Path.Combine(s.DataDirectory, name));
                WriteOwnerOnly(path, secret);
                return path;
            }
            foreach (var p1 in config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic))
            {
                // The demo's secrets as owner-only files beside the invitation, so the command works as pasted.
                var user = p1.AuthUserGroup?.Members.FirstOrDefault(u => u.Password is not null);
                var pskArg = proof is not null && proof.Proves(p1) ? $" --device-cert --gateway-ca {proof.GatewayCaPath}"
                    : p1.PskSecret is { } psk ? $" --psk-file {WriteSecretFile($"{p1.Name}.psk", psk.Utf8)}" : "";
                var userArg = user is not null ? $" --user {user.Name} --password-file {WriteSecretFile($"{user.Name}.password", user.Password!.Utf8)}" : "";
                output.WriteLine($"  # tunnel {p1.Name}");
                output.WriteLine($"  {pgate} client connect --gateway {host.ListenAddressOf(p1)}:{ikePort} --natt-port {nattPort} --ems {ems.Url} --ems-fingerprint {ems.CertificateFingerprint} \\");
                output.WriteLine($"      --invite-file {invitePath} --tunnel {p1.Name}{pskArg}{userArg}");
            }
            output.WriteLine(proof is null
                ? $"  (the PSK and password files hold the configuration's psksecret and passwd, owner-only, in {Path.GetFullPath(s.DataDirectory)})"
                : $"  (the password files hold the configuration's passwd, owner-only, in {Path.GetFullPath(s.DataDirectory)})");
            output.WriteLine($"  The invitation in {invitePath} enrolls up to 10 devices within a day: each makes its own key");
            output.WriteLine("  (~/.posturegate/client/UID.key) and gets a certificate from the EMS's endpoint CA. More invitations:");
            output.WriteLine($"  {pgate} ems --data {emsDir} invite create --uses 1 --expires 24h");
            if (proof is not null)
            {
                output.WriteLine("  The device proves its UID with that certificate (ztna-uid-proof, ztna-token-binding): the gateway");
                output.WriteLine($"  signs with a certificate of {proof.GatewayCaPath} and asks for the device's before the password.");
                output.WriteLine("  (pgate up --seed-auth: the phase1s as written, a PSK and the UID the client claims, as in the seed.)");
            }
            output.WriteLine("Look inside:");
            foreach (var d in new[] { "vpn ike gateway list", "vpn tunnel list", "firewall dynamic list", "endpoint ec-shm list", "endpoint fctems status" })
                output.WriteLine($"  {pgate} diagnose --control {control} {d}");
            output.WriteLine($"  {pgate} diagnose --control {control} debug application ike -1 && {pgate} diagnose --control {control} debug enable");
            output.WriteLine($"  {pgate} ems --data {emsDir} endpoint list");
            output.WriteLine("Ctrl-C stops everything.");
            output.Flush();
        }
        return await GatewayCommand.RunAsync(s.ConfigPath, options, s.Verbose, null, ct, Connector, Started, ConfigKeyFile.InDataDirectory(s.DataDirectory), TextWriter.Null, s.AuditLog, s.JsonLogs,
            load: proof is null ? null : (path, err) => proof.Load(path, err, ConfigKeyFile.InDataDirectory(s.DataDirectory))).ConfigureAwait(false);
    }

    // The invitation code is a secret: the file is owner-only from its creation.
    private static void WriteOwnerOnly(string path, string text) => WriteOwnerOnly(path, System.Text.Encoding.ASCII.GetBytes(text + "\n"));

    private static void WriteOwnerOnly(string path, ReadOnlySpan<byte> content)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
