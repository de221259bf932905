// `pgate client connect|enroll|status|bench`: the FortiClient role from the command line.
using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PostureGate.Client;

public static class ClientCommand
{
    public static string DefaultStatusFile =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".posturegate"), "pgate-client.json");

    public static Command Create()
    {
        var cmd = new Command("client", "Connect to a PostureGate (or FortiGate, strongSwan) dial-up gateway as FortiClient does");
        cmd.Subcommands.Add(Connect());
        cmd.Subcommands.Add(Enroll());
        cmd.Subcommands.Add(StatusCommand());
        cmd.Subcommands.Add(Bench());
        return cmd;
    }

    private sealed class Common
    {
        public readonly Option<string> Gateway = new("--gateway", "-g") { Description = "the gateway's IKE address; PORT [default: 500]", Required = true };
        public readonly Option<int> NatTPort = new("--natt-port") { Description = "the gateway's NAT-T port", DefaultValueFactory = _ => 4500 };
        public readonly Option<FileInfo?> PskFile = new("--psk-file") { Description = "file holding the pre-shared key (the phase1 psksecret); required unless --gateway-ca" };
        public readonly Option<string> User = new("--user", "-u") { Description = "EAP user name", Required = true };
        public readonly Option<FileInfo?> PasswordFile = new("--password-file") { Description = "file holding the EAP password (required: an empty password is never sent)" };
        public readonly Option<string?> GatewayId = new("--gateway-id") { Description = "IDr to request (the gateway's localid)" };
        public readonly Option<string?> LocalId = new("--local-id") { Description = "IDi to send [default: this client's own address as ID_IPV4_ADDR, as FortiClient]" };
        public readonly Option<string?> Ems = new("--ems") { Description = "EMS URL: register, report facts, fetch the ZTNA token" };
        public readonly Option<string?> EmsFingerprint = new("--ems-fingerprint") { Description = "SHA-256 fingerprint of the EMS certificate (pgate ems prints it)" };
        public readonly Option<string?> Tunnel = new("--tunnel") { Description = "the gateway's phase1 name (selects the EMS remote access profile)" };
        public readonly Option<string?> Invite = new("--invite") { Description = "EMS invitation code to enroll with (pgate ems invite create); visible to other local users in the process list — prefer --invite-file" };
        public readonly Option<FileInfo?> InviteFile = new("--invite-file") { Description = "file holding the EMS invitation code" };
        public readonly Option<string?> DeviceDir = new("--device-dir") { Description = "where the device key (UID.key, owner-only) and EMS certificate (UID.crt) live; default ~/.posturegate/client" };
        public readonly Option<bool> DeviceCert = new("--device-cert") { Description = "authenticate the device with its enrolled certificate (--device-dir) before EAP, for a phase1 with eap-cert-auth (RFC 4739)" };
        public readonly Option<FileInfo?> GatewayCa = new("--gateway-ca") { Description = "PEM CA the gateway's certificate must chain to and name the --gateway host in (a phase1 with authmethod signature)" };

        public readonly Option<string> LogFormat = LogFormatOption();

        internal static Option<string> LogFormatOption()
        {
            var o = new Option<string>("--log-format")
            {
                Description = "console: one readable line per entry; json: one JSON object per line (docs/observability.md)",
                DefaultValueFactory = _ => "console",
                HelpName = "console|json",
            };
            o.AcceptOnlyFromAmong("console", "json");
            return o;
        }

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Gateway, NatTPort, PskFile, User, PasswordFile, GatewayId, LocalId, Ems, EmsFingerprint, Tunnel })
                c.Options.Add(o);
            foreach (var o in new Option[] { Invite, InviteFile, DeviceDir, DeviceCert, GatewayCa, LogFormat })
                c.Options.Add(o);
        }

        public ClientSettings Settings(ParseResult p)
        {
            var gw = ParseEndpoint(p.GetValue(Gateway)!, 500);
            // Never an empty password in place of a forgotten option: the gateway would only say AUTHENTICATION_FAILED.
            if (p.GetValue(PasswordFile) is null)
                throw new ClientFailure(ClientExitCodes.Usage, $"--password-file FILE is missing: the EAP password of --user {p.GetValue(User)}", true);
            var gatewayCa = p.GetValue(GatewayCa) is { } caFile ? ReadGatewayCa(caFile) : null;
            // A gateway that signs (--gateway-ca) needs no PSK; one that does not is verified with it.
            if (p.GetValue(PskFile) is null && gatewayCa is null)
                throw new ClientFailure(ClientExitCodes.Usage, "--psk-file FILE is missing: the phase1 psksecret (or --gateway-ca FILE for a gateway that authenticates with a certificate)", true);
            var ems = p.GetValue(Ems) is { } e ? new Uri(e) : null;
            if (ClientFailure.CheckFingerprint(ems, p.GetValue(EmsFingerprint)) is { } bad)
                throw bad;
            return new ClientSettings
            {
                Gateway = gw,
                NatTPort = p.GetValue(NatTPort),
                Psk = p.GetValue(PskFile) is { } psk ? Encoding.UTF8.GetBytes(ReadSecret(psk)) : [],
                User = p.GetValue(User)!,
                Password = p.GetValue(PasswordFile) is { } pw ? ReadSecret(pw) : null,
                GatewayId = p.GetValue(GatewayId),
                LocalId = p.GetValue(LocalId),
                Ems = ems,
                EmsFingerprint = p.GetValue(EmsFingerprint),
                Tunnel = p.GetValue(Tunnel),
                InviteCode = p.GetValue(InviteFile) is { } inviteFile ? ReadSecret(inviteFile) : p.GetValue(Invite),
                DeviceDirectory = p.GetValue(DeviceDir),
                DeviceCertificate = p.GetValue(DeviceCert),
                GatewayCa = gatewayCa,
                GatewayName = GatewayHost(p.GetValue(Gateway)!),
                JsonLogs = p.GetValue(LogFormat) == "json",
                LocalAddress = gw.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any,
                // The PG_* tuning variables (docs/operations.md), read here at the edge only.
                DataPlane = PostureGate.Esp.DataPlaneTuning.FromVariables(Environment.GetEnvironmentVariable),
            };
        }
    }

    private static Command Connect()
    {
        var c = new Common();
        var uid = new Option<string?>("--uid") { Description = "endpoint UID (32 hex digits) [default: derived from /etc/machine-id]" };
        var facts = new Option<FileInfo?>("--facts") { Description = "JSON file of facts to report instead of the machine's" };
        var ip = new Option<string?>("--ip") { Description = "the address to report as this endpoint's own" };
        var once = new Option<bool>("--once") { Description = "connect, report the result, disconnect (no reconnect)" };
        var status = new Option<string>("--status-file") { Description = "where `pgate client status` reads the session", DefaultValueFactory = _ => DefaultStatusFile };
        var tun = new Option<bool>("--tun") { Description = "carry traffic: a TUN device with the virtual IP, routes for the split networks, ESP in userspace (root)" };
        var tunName = new Option<string>("--tun-name") { Description = "the TUN device's name", DefaultValueFactory = _ => "pgclient0" };
        var tokenFile = new Option<FileInfo?>("--ztna-token-file")
        {
            Description = "send the ZTNA token in FILE (FCTTAGS=1) instead of the EMS's, to test a gateway against tokens from any issuer; with --ems the client still registers and reports",
        };
        var afterEap = new Option<bool>("--notifies-after-eap")
        {
            Description = "send FORTICLIENT_CONNECT and ZTNA_TAG in the last IKE_AUTH (after EAP), as FortiClient 7.4.5 does in the seed's Example 2, instead of the first",
        };
        var cmd = new Command("connect", "Enroll and register with the EMS, connect, and stay connected until Ctrl-C (or SIGTERM): both delete the tunnel at the gateway first.\n" + ClientExitCodes.HelpText);
        c.AddTo(cmd);
        foreach (var o in new Option[] { uid, facts, ip, once, status, tun, tunName, tokenFile, afterEap })
            cmd.Options.Add(o);
        cmd.SetAction(async (p, ct) =>
        {
            ClientSettings settings;
            try
            {
                settings = c.Settings(p) with
                {
                    Uid = p.GetValue(uid),
                    FactsFile = p.GetValue(facts)?.FullName,
                    ReportedIp = p.GetValue(ip) is { } s ? IPAddress.Parse(s) : null,
                    Reconnect = !p.GetValue(once),
                    StatusFile = p.GetValue(status),
                    TunDevice = p.GetValue(tun) ? p.GetValue(tunName) : null,
                    TokenOverride = p.GetValue(tokenFile) is { } file ? ReadToken(file) : null,
                    NotifiesInLastAuth = p.GetValue(afterEap),
                };
            }
            catch (ClientFailure ex)
            {
                await Console.Error.WriteLineAsync($"pgate client: {ex.Message}").ConfigureAwait(false);
                return ex.ExitCode;
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"pgate client: {ex.Message}").ConfigureAwait(false);
                return ClientExitCodes.Usage;
            }
            // Ctrl-C (SIGINT) and SIGTERM (a service manager, `kill`) end the session alike: DELETE
            // sent first, `disconnected` printed, the status file updated. `pgate` invokes its
            // commands synchronously, so without its own handler SIGINT would end the process at once.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void Stop(System.Runtime.InteropServices.PosixSignalContext c)
            {
                c.Cancel = true;
                stop.Cancel();
            }
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
            using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
            await using var session = new ClientSession(settings, Console.Out);
            try
            {
                if (p.GetValue(once))
                {
                    var r = await session.ConnectOnceAsync(stop.Token).ConfigureAwait(false);
                    await session.DisconnectAsync().ConfigureAwait(false);
                    return session.ExitCodeOf(r);
                }
                return await session.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (PostureGate.Esp.Devices.Linux.TunDeviceException ex)
            {
                await Console.Error.WriteLineAsync($"pgate client: --tun: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (ClientFailure failure)
            {
                await Console.Error.WriteLineAsync($"pgate client: {failure.Message}").ConfigureAwait(false);
                return failure.ExitCode;
            }
            catch (Exception ex) when (settings.Ems is { } ems && ClientFailure.FromEms(ex, ems) is { } failure)
            {
                await Console.Error.WriteLineAsync($"pgate client: {failure.Message}").ConfigureAwait(false);
                return failure.ExitCode;
            }
        });
        return cmd;
    }

    /// <summary>`pgate client enroll`: enroll this device with the EMS (key, CSR, certificate) and register its
    /// facts, without connecting; a later `connect` with the same --uid and --device-dir needs no code.</summary>
    private static Command Enroll()
    {
        var ems = new Option<string>("--ems") { Description = "EMS URL", Required = true };
        var fingerprint = new Option<string?>("--ems-fingerprint") { Description = "SHA-256 fingerprint of the EMS certificate (pgate ems prints it)" };
        var invite = new Option<string?>("--invite") { Description = "EMS invitation code (prefer --invite-file: arguments are visible to other local users)" };
        var inviteFile = new Option<FileInfo?>("--invite-file") { Description = "file holding the EMS invitation code" };
        var deviceDir = new Option<string?>("--device-dir") { Description = "where the device key and certificate live; default ~/.posturegate/client" };
        var uid = new Option<string?>("--uid") { Description = "endpoint UID (32 hex digits); default: derived from /etc/machine-id" };
        var facts = new Option<FileInfo?>("--facts") { Description = "JSON file of facts to report instead of the machine's" };
        var ip = new Option<string?>("--ip") { Description = "the address to report as this endpoint's own" };
        var logFormat = Common.LogFormatOption();
        var cmd = new Command("enroll", "Enroll this device with the EMS (own key, EMS-signed certificate) and report its facts; no tunnel");
        foreach (var o in new Option[] { ems, fingerprint, invite, inviteFile, deviceDir, uid, facts, ip, logFormat })
            cmd.Options.Add(o);
        cmd.SetAction(async (p, ct) =>
        {
            ClientSettings settings;
            try
            {
                var url = new Uri(p.GetValue(ems)!);
                settings = new ClientSettings
                {
                    // No gateway: the reported address defaults to the one facing the EMS.
                    Gateway = ParseEndpoint(url.Host, url.Port),
                    Psk = [],
                    User = "",
                    Ems = url,
                    EmsFingerprint = p.GetValue(fingerprint),
                    InviteCode = p.GetValue(inviteFile) is { } f ? ReadSecret(f) : p.GetValue(invite),
                    DeviceDirectory = p.GetValue(deviceDir),
                    Uid = p.GetValue(uid),
                    FactsFile = p.GetValue(facts)?.FullName,
                    ReportedIp = p.GetValue(ip) is { } s ? IPAddress.Parse(s) : null,
                    JsonLogs = p.GetValue(logFormat) == "json",
                };
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or ArgumentException or System.Net.Sockets.SocketException)
            {
                await Console.Error.WriteLineAsync($"pgate client: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
            await using var session = new ClientSession(settings, Console.Out);
            try
            {
                await session.EnrollAsync(ct).ConfigureAwait(false);
                return 0;
            }
            catch (Exception ex) when (ex is EmsEnrollmentException or HttpRequestException or TaskCanceledException)
            {
                await Console.Error.WriteLineAsync($"pgate client: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return cmd;
    }

    private static Command StatusCommand()
    {
        var status = new Option<string>("--status-file") { Description = "the file `pgate client connect --status-file` writes", DefaultValueFactory = _ => DefaultStatusFile };
        var json = new Option<bool>("--json") { Description = "the session as JSON" };
        var cmd = new Command("status", "Show the running client's session") { status, json };
        cmd.SetAction(p =>
        {
            var output = p.InvocationConfiguration.Output;
            var path = p.GetValue(status)!;
            if (!File.Exists(path))
            {
                p.InvocationConfiguration.Error.WriteLine($"no client session ({path} does not exist)");
                return 1;
            }
            var text = File.ReadAllText(path);
            if (p.GetValue(json))
            {
                output.WriteLine(text);
                return 0;
            }
            var s = JsonSerializer.Deserialize<ClientStatus>(text)!;
            output.WriteLine($"state:        {s.State}");
            output.WriteLine($"gateway:      {s.Gateway}");
            output.WriteLine($"instance:     {s.Instance ?? "-"}");
            output.WriteLine($"address:      {s.VirtualIp ?? "-"}");
            output.WriteLine($"dns:          {string.Join(' ', s.Dns)}");
            output.WriteLine($"split:        {string.Join(' ', s.SplitNetworks)}");
            output.WriteLine($"uid:          {s.Uid ?? "-"}");
            output.WriteLine($"ems serial:   {s.EmsSerial ?? "-"}");
            output.WriteLine($"tags:         {string.Join(' ', s.Tags)}");
            output.WriteLine($"token expires:{(s.TokenExpires is { } e ? " " + e.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : " -")}");
            output.WriteLine($"connected:    {(s.ConnectedSince is { } c ? c.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "-")}");
            if (s.LastError is not null)
                output.WriteLine($"last error:   {s.LastError}");
            return 0;
        });
        return cmd;
    }

    private static Command Bench()
    {
        var c = new Common();
        var count = new Option<int>("--count", "-n") { DefaultValueFactory = _ => 100, Description = "connections to make" };
        var concurrency = new Option<int>("--concurrency", "-C") { DefaultValueFactory = _ => 8, Description = "connections in flight" };
        var hold = new Option<int>("--hold")
        {
            Description = "keep the established SAs for this many seconds (or until interrupted), then delete them: the gateway's memory per SA",
        };
        var rate = new Option<string?>("--rate")
        {
            Description = "start at most this many connections per second (N/s; a login storm paced over time instead of as fast as --concurrency allows)",
        };
        var source = new Option<string?>("--source")
        {
            Description = "bind the clients' sockets to this local address, or spread them over a range FIRST-LAST (each session has two sockets: one address holds ~14,000 sessions, the ephemeral port range; a gateway caps half-open SAs per address)",
        };
        var cmd = new Command("bench", "Many clients from one process: setups per second, latency, failures by reason");
        c.AddTo(cmd);
        cmd.Options.Add(count);
        cmd.Options.Add(concurrency);
        cmd.Options.Add(hold);
        cmd.Options.Add(rate);
        cmd.Options.Add(source);
        cmd.SetAction(async (p, ct) =>
        {
            // Many sessions share one user here: INITIAL_CONTACT would make each new one end the others.
            ClientSettings settings;
            IPAddress[]? sources = null;
            try
            {
                settings = c.Settings(p) with { Reconnect = false, InitialContact = false };
                if (p.GetValue(source) is { } src)
                    sources = ParseSources(src, settings.Gateway);
            }
            catch (ClientFailure ex)
            {
                await Console.Error.WriteLineAsync($"pgate client: {ex.Message}").ConfigureAwait(false);
                return ex.ExitCode;
            }
            double perSecond = 0;
            if (p.GetValue(rate) is { } r && !TryParseRate(r, out perSecond))
            {
                await Console.Error.WriteLineAsync($"pgate client bench: --rate {r}: not a rate; give connections per second as N/s (N from 1 to 1000000)").ConfigureAwait(false);
                return ClientExitCodes.Usage;
            }
            var n = p.GetValue(count);
            var holdSeconds = p.GetValue(hold);
            var held = holdSeconds > 0 ? new List<ClientSession>() : null;
            var summary = await BenchAsync(settings, n, Math.Max(1, p.GetValue(concurrency)), PostureGate.Platform.TerminalProgress.OnStandardError(n), ct, held, perSecond, sources).ConfigureAwait(false);
            Console.WriteLine(summary.ToString());
            if (held is not null)
                await HoldAsync(held, holdSeconds, ct).ConfigureAwait(false);
            return summary.Failures.Values.Sum() == 0 ? 0 : 1;
        });
        return cmd;
    }

    public sealed record BenchSummary(int Count, int Succeeded, double Seconds, double P50Ms, double P99Ms, IReadOnlyDictionary<string, int> Failures)
    {
        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.AppendLine(System.FormattableString.Invariant($"connections: {Count}, established: {Succeeded}, failed: {Count - Succeeded}"));
            sb.AppendLine(System.FormattableString.Invariant($"rate: {Succeeded / Seconds:0.0} setups/s over {Seconds:0.00} s"));
            sb.AppendLine(System.FormattableString.Invariant($"latency: p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms"));
            foreach (var (reason, k) in Failures.OrderByDescending(f => f.Value))
                sb.AppendLine(System.FormattableString.Invariant($"  {k} × {reason}"));
            return sb.ToString().TrimEnd();
        }
    }

    /// <summary>Prints "holding N SAs", waits, then deletes them (a few at a time, as a gateway would see clients leave).</summary>
    private static async Task HoldAsync(List<ClientSession> held, int seconds, CancellationToken ct)
    {
        Console.WriteLine($"holding {held.Count} SAs for {seconds} s");
        Console.Out.Flush();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var chunk in held.Chunk(64))
        {
            await Task.WhenAll(chunk.Select(async s =>
            {
                await s.DisconnectAsync().ConfigureAwait(false);
                await s.DisposeAsync().ConfigureAwait(false);
            })).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Each connection: a fresh session (own sockets, own UID), connect, delete; with <paramref name="held"/>,
    /// established sessions are kept there instead of deleted.
    /// </summary>
    public static async Task<BenchSummary> BenchAsync(ClientSettings settings, int count, int concurrency, PostureGate.Platform.TerminalProgress? progress, CancellationToken ct,
        List<ClientSession>? held = null, double perSecond = 0, IReadOnlyList<IPAddress>? sources = null)
    {
        var latencies = new List<double>();
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var done = 0;
        var next = -1;
        var total = Stopwatch.StartNew();
        async Task Worker()
        {
            while (!ct.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                    return;
                // --rate: connection i starts no earlier than i / rate seconds after the first.
                if (perSecond > 0 && TimeSpan.FromSeconds(i / perSecond) - total.Elapsed is { Ticks: > 0 } wait)
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                var s = settings with
                {
                    Uid = settings.Uid ?? Guid.NewGuid().ToString("N").ToUpperInvariant(),
                    LocalAddress = sources is { Count: > 0 } ? sources[i % sources.Count] : settings.LocalAddress,
                };
                var session = new ClientSession(s, TextWriter.Null);
                var kept = false;
                try
                {
                    var sw = Stopwatch.StartNew();
                    var r = await session.ConnectOnceAsync(ct).ConfigureAwait(false);
                    sw.Stop();
                    lock (latencies)
                    {
                        if (r.Success)
                            latencies.Add(sw.Elapsed.TotalMilliseconds);
                        else
                            failures[r.Error ?? r.ChildError ?? "failed"] = failures.GetValueOrDefault(r.Error ?? r.ChildError ?? "failed") + 1;
                    }
                    if (held is not null && r.Success)
                    {
                        lock (held)
                            held.Add(session);
                        kept = true;
                    }
                    else
                    {
                        await session.DisconnectAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (!kept)
                        await session.DisposeAsync().ConfigureAwait(false);
                }
                progress?.Report(Interlocked.Increment(ref done));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, ct))).ConfigureAwait(false);
        progress?.Finish();
        total.Stop();
        latencies.Sort();
        double Pct(double q) => latencies.Count == 0 ? 0 : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        return new BenchSummary(count, latencies.Count, total.Elapsed.TotalSeconds, Pct(0.50), Pct(0.99), failures);
    }

    /// <summary>--rate: "N/s" (or a bare N), N connections per second, 1 to 1,000,000.</summary>
    internal static bool TryParseRate(string text, out double perSecond)
    {
        var span = text.AsSpan().Trim();
        if (span.EndsWith("/s", StringComparison.Ordinal))
            span = span[..^2];
        return double.TryParse(span, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out perSecond)
            && perSecond is >= 1 and <= 1_000_000;
    }

    /// <summary>At most this many addresses in a --source range.</summary>
    public const int MaxSources = 4096;

    /// <summary>--source: a local address of the gateway's family, or an IPv4 range FIRST-LAST, to bind the clients' sockets to.</summary>
    internal static IPAddress[] ParseSources(string text, IPEndPoint gateway)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = Address(dash < 0 ? text : text[..dash]);
        if (dash < 0)
            return [first];
        var last = Address(text[(dash + 1)..]);
        if (first.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw new ClientFailure(ClientExitCodes.Usage, $"--source {text}: a range is of IPv4 addresses", true);
        var from = PostureGate.Net.Ipv4.ToUInt32(first);
        var to = PostureGate.Net.Ipv4.ToUInt32(last);
        if (to < from || to - from >= MaxSources)
            throw new ClientFailure(ClientExitCodes.Usage, $"--source {text}: a range runs from its first to its last address, at most {MaxSources} of them", true);
        return [.. Enumerable.Range(0, (int)(to - from) + 1).Select(k => PostureGate.Net.Ipv4.ToAddress(from + (uint)k))];

        IPAddress Address(string part)
        {
            if (!IPAddress.TryParse(part, out var address))
                throw new ClientFailure(ClientExitCodes.Usage, $"--source {text}: not an IP address", true);
            if (address.AddressFamily != gateway.AddressFamily)
                throw new ClientFailure(ClientExitCodes.Usage, $"--source {text}: not of the gateway's address family ({gateway.Address})", true);
            return address;
        }
    }

    internal static IPEndPoint ParseEndpoint(string text, int defaultPort)
    {
        if (IPEndPoint.TryParse(text, out var ep) && (ep.Port != 0 || !text.Contains(':')))
            return ep.Port == 0 ? new IPEndPoint(ep.Address, defaultPort) : ep;
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon] : text;
        var port = colon > 0 ? int.Parse(text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture) : defaultPort;
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw ClientFailure.Unresolved(host, e);
        }
        var address = addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? throw new ClientFailure(ClientExitCodes.GatewayUnresolved, $"--gateway {host}: the name has no IPv4 address; check the name and this machine's DNS", true);
        return new IPEndPoint(address, port);
    }

    /// <summary>--gateway's host part, as dialled (the name the gateway's certificate must carry).</summary>
    internal static string GatewayHost(string text)
    {
        if (IPEndPoint.TryParse(text, out var ep))
            return ep.Address.ToString();
        var colon = text.LastIndexOf(':');
        return colon > 0 ? text[..colon] : text;
    }

    /// <summary>--gateway-ca FILE: one PEM certificate (the first, when the file holds several). A CA file is
    /// public, so unlike a secret it may be read from anywhere; any problem is one line and exit 9.</summary>
    internal static System.Security.Cryptography.X509Certificates.X509Certificate2 ReadGatewayCa(FileInfo file)
    {
        const int MaxCaFileBytes = 256 * 1024;
        try
        {
            if (new FileInfo(file.FullName).Length > MaxCaFileBytes)
                throw new ClientFailure(ClientExitCodes.GatewayCaUnreadable, $"--gateway-ca {file.FullName}: larger than {MaxCaFileBytes} bytes; not a CA certificate", true);
            return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(file.FullName));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ClientFailure(ClientExitCodes.GatewayCaUnreadable, $"--gateway-ca {file.FullName}: cannot be read ({ex.Message})", true);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ClientFailure(ClientExitCodes.GatewayCaUnreadable, $"--gateway-ca {file.FullName}: not a PEM certificate (-----BEGIN CERTIFICATE-----)", true);
        }
    }

    private static string ReadSecret(FileInfo file) => File.ReadAllText(file.FullName).TrimEnd('\r', '\n');

    /// <summary>Longer token files are refused unread (the gateway takes at most 8 KiB; a test may send more).</summary>
    public const int MaxTokenFileBytes = 64 * 1024;

    /// <summary>
    /// A token file as the ZTNA_TAG notify carries it: printable ASCII, one line (a trailing line
    /// break is dropped). It is sent as it is, however bad — testing the gateway is its purpose.
    /// </summary>
    internal static string ReadToken(FileInfo file)
    {
        var path = file.FullName;
        if (new FileInfo(path).Length > MaxTokenFileBytes)
            throw new FormatException($"--ztna-token-file {path}: larger than {MaxTokenFileBytes} bytes");
        var text = File.ReadAllText(path, Encoding.Latin1).TrimEnd('\r', '\n');
        if (text.Length == 0)
            throw new FormatException($"--ztna-token-file {path}: empty");
        foreach (var c in text)
        {
            if (c is < '!' or > '~')
                throw new FormatException($"--ztna-token-file {path}: not one line of printable ASCII (a JWS compact token)");
        }
        return text;
    }
}
