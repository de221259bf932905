// `pgate … --help`: one value name per kind of value across every command (<FILE>, <DIR>,
// <URL>, …) instead of each option's own name, given where an option has none of its own.
using System.CommandLine;

namespace PostureGate.Cli.Commands;

internal static class HelpNames
{
    private static readonly Dictionary<string, string> ByOption = new(StringComparer.Ordinal)
    {
        ["--config"] = "FILE",
        ["--control"] = "FILE",
        ["--psk-file"] = "FILE",
        ["--password-file"] = "FILE",
        ["--status-file"] = "FILE",
        ["--ztna-token-file"] = "FILE",
        ["--facts"] = "FILE",
        ["--country-db"] = "FILE",
        ["--audit-log"] = "FILE",
        ["--data"] = "DIR",
        ["--database"] = "CONNECTION-STRING",
        ["--cluster-db"] = "CONNECTION-STRING",
        ["--node-name"] = "NAME",
        ["--key-file"] = "FILE",
        ["--ems"] = "URL",
        ["--ems-listen"] = "URL",
        ["--listen"] = "ADDRESS",
        ["--ems-fingerprint"] = "SHA256",
        ["--gateway"] = "HOST[:PORT]",
        ["--ike-port"] = "PORT",
        ["--natt-port"] = "PORT",
        ["--user"] = "NAME",
        ["--tun-name"] = "NAME",
        ["--tunnel"] = "PHASE1",
        ["--gateway-id"] = "ID",
        ["--local-id"] = "ID",
        ["--uid"] = "UID",
        ["--ip"] = "IP",
        ["--count"] = "N",
        ["--concurrency"] = "N",
        ["--hold"] = "SECONDS",
        ["--posture-decision-budget"] = "SECONDS",
        ["--invite"] = "CODE",
        ["--invite-file"] = "FILE",
        ["--device-dir"] = "DIR",
        ["--gateway-ca"] = "FILE",
        ["--uses"] = "N",
        ["--expires"] = "DURATION",
        ["--endpoint-cert-lifetime"] = "DURATION",
        ["--endpoint-cert-backdate"] = "DURATION",
        ["--without-code"] = "refuse|pending",
        ["--dir"] = "DIR",
        ["--name"] = "NAME",
        ["--key"] = "ecdsa-p256|rsa-2048",
        ["--days"] = "N",
        ["--ca"] = "FILE",
        ["--metrics"] = "ADDRESS:PORT",
        ["--wireshark-keys"] = "DIR",
        ["--wireshark"] = "DIR",
        ["--log-format"] = "console|json",
    };

    /// <summary>Names every option of <paramref name="command"/> and its subcommands that has no name of its own.</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            // A flag (`pgate ems --metrics`) takes no value: it gets no value name, whatever the table says.
            if (option.HelpName is null && option.ValueType != typeof(bool) && ByOption.TryGetValue(option.Name, out var name))
                option.HelpName = name;
        }
        foreach (var sub in command.Subcommands)
            Apply(sub);
    }

    /// <summary>Options whose value would be shown under their own name (for the test that keeps this table whole).</summary>
    public static IEnumerable<(string Command, string Option)> Unnamed(Command command, string path = "pgate")
    {
        foreach (var option in command.Options)
        {
            if (option.HelpName is null && option.ValueType != typeof(bool) && !option.ValueType.IsEnum && option.Name != "--help" && option.Name != "--version")
                yield return (path, option.Name);
        }
        foreach (var sub in command.Subcommands)
        {
            foreach (var u in Unnamed(sub, path + " " + sub.Name))
                yield return u;
        }
    }
}
