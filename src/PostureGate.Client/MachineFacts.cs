// What the client reports to the EMS and puts in FORTICLIENT_CONNECT: the
// machine's identity (UID, host, user, OS, addresses, MACs) and its posture
// facts. Read from the machine, or from a JSON file (--facts) for tests and demos.
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PostureGate.Client;

public sealed record MachineFacts
{
    public required string Uid { get; init; }
    public string? Host { get; init; }
    public string? User { get; init; }
    public string? Os { get; init; }
    public string? OsVersion { get; init; }
    public string FctVersion { get; init; } = ClientVersion;
    /// <summary>The address configured on the client (what the gateway's tags resolve).</summary>
    public IPAddress? Ip { get; init; }
    public IReadOnlyList<string> Macs { get; init; } = [];
    /// <summary>Posture facts as a JSON object (antivirus, firewall, disk encryption, OS build …).</summary>
    public JsonObject Facts { get; init; } = [];

    public const string ClientVersion = "7.4.5.0-pgate";

    public object ToReport() => new
    {
        uid = Uid,
        host = Host,
        user = User,
        os = Os,
        os_version = OsVersion,
        fct_version = FctVersion,
        ip = Ip?.ToString(),
        macs = Macs,
        facts = Facts,
    };

    /// <summary>
    /// The machine as it is: host name, user, OS, the first non-loopback IPv4 and its MACs.
    /// The UID is stable per machine (derived from /etc/machine-id) unless given.
    /// </summary>
    public static MachineFacts FromMachine(string? uid, IPAddress? preferredIp)
    {
        var nics = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .ToList();
        var ip = preferredIp ?? nics.SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        var macs = nics.Select(n => n.GetPhysicalAddress().GetAddressBytes()).Where(b => b.Length == 6)
            .Select(b => string.Join('-', b.Select(x => x.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))).Distinct().ToArray();
        return new MachineFacts
        {
            Uid = uid ?? MachineUid(),
            Host = Environment.MachineName,
            User = Environment.UserName,
            Os = "Linux",
            OsVersion = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            Ip = ip,
            Macs = macs,
            Facts = new JsonObject
            {
                ["os"] = new JsonObject { ["name"] = "linux", ["kernel"] = Environment.OSVersion.Version.ToString() },
                ["disk"] = new JsonObject { ["encrypted"] = false },
            },
        };
    }

    /// <summary>A JSON file: {"uid","host","user","os","os_version","ip","macs":[…],"facts":{…}}; missing fields come from the machine.</summary>
    public static MachineFacts FromFile(string path, string? uid, IPAddress? preferredIp)
    {
        var node = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        var machine = FromMachine(uid, preferredIp);
        string? S(string name) => node[name]?.GetValue<string>();
        return machine with
        {
            Uid = uid ?? S("uid") ?? machine.Uid,
            Host = S("host") ?? machine.Host,
            User = S("user") ?? machine.User,
            Os = S("os") ?? machine.Os,
            OsVersion = S("os_version") ?? machine.OsVersion,
            Ip = preferredIp ?? (S("ip") is { } ip ? IPAddress.Parse(ip) : machine.Ip),
            Macs = node["macs"] is JsonArray macs ? macs.Select(m => m!.GetValue<string>()).ToArray() : machine.Macs,
            Facts = node["facts"] is JsonObject facts ? (JsonObject)facts.DeepClone() : machine.Facts,
        };
    }

    private static string MachineUid()
    {
        string seed;
        try
        {
            seed = File.ReadAllText("/etc/machine-id").Trim();
        }
        catch (IOException)
        {
            seed = Environment.MachineName;
        }
        // 32 hex digits, like FortiClient's UID; a hash so the machine-id itself is not disclosed.
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("posturegate-uid:" + seed)))[..32];
    }
}
