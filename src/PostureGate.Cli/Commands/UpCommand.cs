// `pgate up`: until the gateway exists, validates the configuration and
// summarises what the gateway would bring up. The lead turns this into the real thing.
using System.CommandLine;
using PostureGate.Config;
using PostureGate.Config.Host;
using PostureGate.Config.Model;

namespace PostureGate.Cli.Commands;

internal static class UpCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = $"Configuration file (default: {ConfigLocator.DefaultRelativePath}, searched from here and from the executable upwards)" };
        var up = new Command("up", "Validate the configuration and summarise tunnels, pools, users, EMS connectors and policies") { config };
        up.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(config) ?? ConfigLocator.Find();
            if (path is null)
            {
                error.WriteLine($"no configuration: {ConfigLocator.DefaultRelativePath} not found; pass --config FILE");
                return 1;
            }
            var result = ConfigLoader.Load(path, new LinuxHostInterfaceSource());
            DiagnosticWriter.Write(error, result.Diagnostics);
            if (result.Config is null)
            {
                DiagnosticWriter.WriteSummary(error, path, result);
                return 1;
            }
            Summarise(output, path, result.Config);
            return 0;
        });
        return up;
    }

    internal static void Summarise(TextWriter o, string path, GatewayConfig c)
    {
        o.WriteLine($"configuration {path}: valid");
        o.WriteLine($"IKE ports: {c.Settings.IkePort}/udp, NAT-T {c.Settings.IkeNattPort}/udp; DNS {c.Dns.Primary}, {c.Dns.Secondary}");
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
