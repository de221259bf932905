// `pgate up`: until the gateway exists, validates the configuration and
// summarises what the gateway would bring up. The lead turns this into the real thing.
using System.CommandLine;
using PostureGate.Config;
using PostureGate.Config.Host;
using PostureGate.Config.Model;
using PostureGate.Config.Secrets;

namespace PostureGate.Cli.Commands;

internal static class UpCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = $"configuration file [default: {ConfigLocator.DefaultRelativePath}, searched from here and from the executable upwards]" };
        var data = new Option<string>("--data") { Description = $"data directory (EMS database, keys, {ConfigKeyFile.FileName}, control socket)", DefaultValueFactory = _ => ConfigKeyFile.DefaultDataDirectory };
        var emsListen = new Option<string>("--ems-listen") { Description = "the embedded EMS's HTTPS URL", DefaultValueFactory = _ => "https://127.0.0.1:8013" };
        var listen = new Option<string>("--listen") { Description = "address the gateway listens on", DefaultValueFactory = _ => "127.0.0.1" };
        var ikePort = new Option<int?>("--ike-port") { Description = $"IKE port [default: the configuration's, or {UpRunner.UnprivilegedIkePort} when not root]" };
        var nattPort = new Option<int?>("--natt-port") { Description = $"NAT-T port [default: the configuration's, or {UpRunner.UnprivilegedNatTPort} when not root]" };
        var dataPlane = new Option<PostureGate.Gateway.Composition.DataPlaneMode>("--data-plane") { Description = "auto (root: ESP over TUN), on, off", DefaultValueFactory = _ => PostureGate.Gateway.Composition.DataPlaneMode.Auto };
        var check = new Option<bool>("--check") { Description = "only validate and summarise the configuration, then exit" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "debug-level logging" };
        var seedAuth = new Option<bool>("--seed-auth") { Description = "run the ztna phase1s as written (a PSK, the UID the client claims, as in the seed) instead of requiring the EMS's device certificate" };
        var logFormat = PostureGate.Gateway.Logging.LogFormatOption.Create();
        var auditLog = PostureGate.Gateway.GatewayCommand.AuditLogOption();
        var up = new Command("up", "Run the EMS and the gateway in one process on loopback (the main job)") { config, data, emsListen, listen, ikePort, nattPort, dataPlane, check, verbose, seedAuth, auditLog, logFormat };
        up.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(config) ?? ConfigLocator.Find();
            if (path is null)
            {
                error.WriteLine($"no configuration: {ConfigLocator.DefaultRelativePath} not found; pass --config FILE");
                return 1;
            }
            // No host interface check: up moves every phase1 to loopback, the configured interfaces do not matter.
            var result = ConfigLoader.Load(path, keyFile: ConfigKeyFile.InDataDirectory(parse.GetValue(data)!));
            DiagnosticWriter.Write(error, result.Diagnostics);
            if (result.Config is null)
            {
                DiagnosticWriter.WriteSummary(error, path, result);
                return 1;
            }
            Summarise(output, path, result.Config);
            if (parse.GetValue(check))
                return 0;
            if (!System.Net.IPAddress.TryParse(parse.GetValue(listen), out var listenAddress))
            {
                error.WriteLine($"--listen {parse.GetValue(listen)}: not an IP address");
                return 2;
            }
            return await UpRunner.RunAsync(new UpRunner.Settings(path, parse.GetValue(data)!, parse.GetValue(emsListen)!, listenAddress,
                parse.GetValue(ikePort), parse.GetValue(nattPort), parse.GetValue(dataPlane), parse.GetValue(verbose)) { AuditLog = parse.GetValue(auditLog), JsonLogs = parse.GetValue(logFormat) == PostureGate.Gateway.Logging.LogFormatOption.Json, SeedAuth = parse.GetValue(seedAuth) }, output, error, ct);
        });
        return up;
    }

    internal static void Summarise(TextWriter o, string path, GatewayConfig c)
    {
        o.WriteLine($"configuration {path}: valid");
        o.WriteLine($"IKE ports: {c.Settings.IkePort}/udp, NAT-T {c.Settings.IkeNattPort}/udp; DNS {(c.Dns.Servers.Count == 0 ? "none (no config system dns)" : string.Join(", ", c.Dns.Servers))}");
        o.WriteLine($"tunnels ({c.Phase1Interfaces.Count}):");
        foreach (var p in c.Phase1Interfaces)
        {
            var tags = p.RemoteGwZtnaTags.Count == 0 ? "" : $", ztna tags {string.Join(' ', p.RemoteGwZtnaTags.Select(t => t.Name))}";
            var group = p.AuthUserGroup is null ? "" : $", users of \"{p.AuthUserGroup.Name}\"";
            o.WriteLine($"  {p.Name}: {p.Type} IKEv{p.IkeVersion} on {p.Interface.Name} ({p.Interface.Ip.Address}), match {p.RemoteGwMatch}{tags}{group}");
            foreach (var p2 in c.Phase2Of(p))
                o.WriteLine($"    phase2 {p2.Name}: {p2.Proposals}");
        }
        o.WriteLine("address pools:");
        foreach (var p in c.Phase1Interfaces)
        {
            if (p.ModeCfg && p.TryGetIpv4Pool(out var start, out var end))
                o.WriteLine($"  {p.Name}: {start}-{end}");
        }
        o.WriteLine($"users ({c.LocalUsers.Count}): {string.Join(", ", c.UserGroups.Select(g => $"{g.Name}: {string.Join(' ', g.Members.Select(m => m.Name))}"))}");
        o.WriteLine($"EMS connectors ({c.FctEms.Count}):");
        foreach (var e in c.FctEms)
            o.WriteLine($"  {e.Id}: {e.Name} {e.Server}:{e.HttpsPort} {(e.Enabled ? "enabled" : "disabled")}, tags {(e.PullTags ? "pulled" : "not pulled")}, out of sync after {e.OutOfSyncThreshold.TotalSeconds:0} s");
        o.WriteLine($"policies ({c.Policies.Count}):");
        foreach (var p in c.Policies)
        {
            o.WriteLine($"  {p.Id} \"{p.Name}\": {string.Join(' ', p.SourceInterfaces.Select(i => i.Name))} -> {string.Join(' ', p.DestinationInterfaces.Select(i => i.Name))} " +
                $"{string.Join(' ', p.SourceAddresses.Select(a => a.Name))} -> {string.Join(' ', p.DestinationAddresses.Select(a => a.Name))} " +
                $"{string.Join(' ', p.Services.Select(s => s.Name))} {p.Action.ToString().ToLowerInvariant()}{(p.Nat ? " nat" : "")}");
        }
    }
}
