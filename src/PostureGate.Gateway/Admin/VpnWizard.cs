// The console's VPN wizard: the seed's dial-up tunnel (FortiOS guide "Enforcing security posture
// verification before dial-up VPN connection": a dynamic IKEv2 phase1 with EAP, mode-cfg and
// `remote-gw-match ztna` on its ZTNA tags, its phase2, and the firewall policy from the tunnel) as
// FortiOS CLI. Every field is hostile: names are checked against a strict pattern and must name
// objects the running configuration has, addresses must parse, values are quoted by the printer.
// The text is shown before it is applied; applying appends it to the file only if the whole file
// then loads, and reloads through the SIGHUP path (Admin/ConfigReloader.cs).
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PostureGate.Config;
using PostureGate.Config.Model;
using PostureGate.Config.Printing;

namespace PostureGate.Gateway.Admin;

public sealed class WizardForm
{
    public string? Name { get; set; }
    public string? Interface { get; set; }
    public string? UserGroup { get; set; }
    public string? Psk { get; set; }
    public string? Tag { get; set; }
    public string? SecondTag { get; set; }
    public string? StartIp { get; set; }
    public string? EndIp { get; set; }
    public string? Destination { get; set; }
    public string? OutInterface { get; set; }
}

public static partial class VpnWizard
{
    // A phase1-interface name is an interface name: 15 characters (FortiOS CLI reference, phase1-interface).
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,15}$")]
    private static partial Regex TunnelName();

    /// <summary>The CLI the form stands for, or the one-line reasons it does not (nothing else checked then).</summary>
    public static (string? Cli, IReadOnlyList<string> Errors) Build(WizardForm f, GatewayConfig config, bool maskSecret, Func<string, string>? sealSecret = null)
    {
        var errors = new List<string>();
        var name = f.Name?.Trim() ?? "";
        if (!TunnelName().IsMatch(name))
            errors.Add("Tunnel name: 1-15 letters, digits, '.', '_' or '-'.");
        else if (config.Phase1Interfaces.Find(name) is not null || config.Interfaces.Find(name) is not null)
            errors.Add($"Tunnel name: '{name}' is taken.");
        Known(f.Interface, config.Interfaces.Select(i => i.Name), "Listen interface", errors);
        Known(f.UserGroup, config.UserGroups.Select(g => g.Name), "User group", errors);
        var tags = TagNames(config);
        Known(f.Tag, tags, "ZTNA tag", errors);
        if (!string.IsNullOrEmpty(f.SecondTag))
            Known(f.SecondTag, tags, "Second ZTNA tag", errors);
        Known(f.Destination, AddressNames(config), "Destination", errors);
        Known(f.OutInterface, config.Interfaces.Select(i => i.Name), "Outgoing interface", errors);
        if (f.Psk is not { Length: >= 8 and <= 128 } psk || psk.Any(char.IsControl))
            errors.Add("Pre-shared key: 8-128 characters, no control characters.");
        var start = Ipv4(f.StartIp, "First client address", errors);
        var end = Ipv4(f.EndIp, "Last client address", errors);
        if (errors.Count > 0)
            return (null, errors);

        var q = ConfigPrinter.Quote;
        var secret = maskSecret ? "ENC ****" : sealSecret is not null ? "ENC " + sealSecret(f.Psk!) : q(f.Psk!);
        var tagList = string.Join(' ', new[] { f.Tag!, f.SecondTag }.Where(t => !string.IsNullOrEmpty(t)).Distinct().Select(t => q(t!)));
        var policyId = config.Policies.Select(p => p.Id).DefaultIfEmpty(0).Max() + 1;
        var sb = new StringBuilder();
        sb.Append("config vpn ipsec phase1-interface\n");
        sb.Append($"    edit {q(name)}\n");
        sb.Append("        set type dynamic\n");
        sb.Append($"        set interface {q(f.Interface!)}\n");
        sb.Append("        set ike-version 2\n");
        sb.Append("        set peertype any\n");
        sb.Append("        set net-device disable\n");
        sb.Append("        set mode-cfg enable\n");
        sb.Append("        set eap enable\n");
        sb.Append("        set eap-identity send-request\n");
        sb.Append($"        set authusrgrp {q(f.UserGroup!)}\n");
        sb.Append("        set remote-gw-match ztna\n");
        sb.Append($"        set ipv4-start-ip {start}\n");
        sb.Append($"        set ipv4-end-ip {end}\n");
        sb.Append("        set dns-mode auto\n");
        sb.Append($"        set psksecret {secret}\n");
        sb.Append($"        set remote-gw-ztna-tags {tagList}\n");
        sb.Append("    next\nend\n");
        sb.Append("config vpn ipsec phase2-interface\n");
        sb.Append($"    edit {q(name)}\n");
        sb.Append($"        set phase1name {q(name)}\n");
        sb.Append("    next\nend\n");
        sb.Append("config firewall policy\n");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"    edit {policyId}\n");
        sb.Append($"        set name {q(name)}\n");
        sb.Append($"        set srcintf {q(name)}\n");
        sb.Append($"        set dstintf {q(f.OutInterface!)}\n");
        sb.Append("        set action accept\n");
        sb.Append("        set srcaddr \"all\"\n");
        sb.Append($"        set dstaddr {q(f.Destination!)}\n");
        sb.Append("        set schedule \"always\"\n");
        sb.Append("        set service \"ALL\"\n");
        sb.Append("    next\nend\n");
        return (sb.ToString(), []);
    }

    /// <summary>The dynamic addresses of EMS tags (`type dynamic`, `sub-type ems-tag`): what remote-gw-ztna-tags may name.</summary>
    public static IEnumerable<string> TagNames(GatewayConfig config) =>
        config.Addresses.Where(a => a.Type == AddressType.Dynamic).Select(a => a.Name);

    public static IEnumerable<string> AddressNames(GatewayConfig config) =>
        config.Addresses.Where(a => a.Type != AddressType.Dynamic).Select(a => a.Name)
            .Concat(config.AddressGroups.Select(g => g.Name)).Prepend("all");

    /// <summary>
    /// Appends <paramref name="cli"/> to the configuration file and reloads it — only when the whole
    /// file then loads: otherwise its error lines come back and the file is left as it was.
    /// </summary>
    public static async Task<(bool Applied, string Diagnostics)> ApplyAsync(string cli, ConfigReloader reloader, Config.Secrets.ConfigKeyFile? key, CancellationToken ct)
    {
        await reloader.Exclusive.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var path = reloader.Path;
            var old = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            var next = old + (old.EndsWith('\n') ? "" : "\n") + "# added by the console's VPN wizard\n" + cli;
            var check = ConfigLoader.Parse(next, path, keyFile: key);
            if (check.Config is null)
                return (false, string.Join('\n', check.Diagnostics.Select(d => d.ToString())));
            var mode = OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);
            OwnerOnlyFile.Replace(path, Encoding.UTF8.GetBytes(next), mode);
            var (applied, diagnostics) = await reloader.ReloadHeldAsync(ct).ConfigureAwait(false);
            if (!applied)
                OwnerOnlyFile.Replace(path, Encoding.UTF8.GetBytes(old), mode);
            return (applied, diagnostics);
        }
        finally
        {
            reloader.Exclusive.Release();
        }
    }

    private static void Known(string? value, IEnumerable<string> names, string field, List<string> errors)
    {
        if (string.IsNullOrEmpty(value) || !names.Contains(value, StringComparer.Ordinal))
            errors.Add($"{field}: choose one of the configured names.");
    }

    private static IPAddress? Ipv4(string? text, string field, List<string> errors)
    {
        if (IPAddress.TryParse(text?.Trim(), out var a) && a.AddressFamily == AddressFamily.InterNetwork && text!.Trim().Count(c => c == '.') == 3)
            return a;
        errors.Add($"{field}: an IPv4 address (a.b.c.d).");
        return null;
    }
}
