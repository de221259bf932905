// The seed's configuration moved onto loopback: every interface a dial-up phase1
// binds to gets its own 127.0.0.x/32, so each phase1 keeps its own local address
// (the IKE layer picks the phase1 by the address an IKE_SA_INIT arrives on) and
// nothing else in the file changes — names, tags, ranges and secrets stay the seed's.
using System.Net;
using System.Text;
using PostureGate.Config.Model;

namespace PostureGate.Cli.Demo;

public static class LoopbackConfig
{
    /// <summary>Interface name → the loopback address it gets, in phase1 order (127.0.0.1, 127.0.0.2 …).</summary>
    public static IReadOnlyDictionary<string, IPAddress> AddressesFor(GatewayConfig config)
    {
        var map = new Dictionary<string, IPAddress>(StringComparer.Ordinal);
        foreach (var p1 in config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic))
        {
            if (!map.ContainsKey(p1.Interface.Name))
                map[p1.Interface.Name] = new IPAddress([127, 0, 0, (byte)(map.Count + 1)]);
        }
        return map;
    }

    /// <summary>
    /// Rewrites `set ip` of the given interfaces inside `config system interface`. Returns false
    /// (and names the interface) when one of them has no `set ip` line to rewrite.
    /// </summary>
    public static bool TryRewrite(string text, IReadOnlyDictionary<string, IPAddress> addresses, out string rewritten, out string? missing)
    {
        var sb = new StringBuilder(text.Length);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var inInterfaces = false;
        string? edit = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var t = line.Trim();
            if (t.StartsWith("config ", StringComparison.Ordinal))
                inInterfaces = t == "config system interface";
            else if (t == "end")
                inInterfaces = false;
            if (inInterfaces && t.StartsWith("edit ", StringComparison.Ordinal))
                edit = t[5..].Trim().Trim('"');
            else if (t == "next")
                edit = null;
            if (inInterfaces && edit is not null && addresses.TryGetValue(edit, out var ip) && t.StartsWith("set ip ", StringComparison.Ordinal))
            {
                line = line[..line.IndexOf("set ip ", StringComparison.Ordinal)] + $"set ip {ip} 255.255.255.255";
                done.Add(edit);
            }
            sb.Append(line).Append('\n');
        }
        rewritten = sb.ToString();
        missing = addresses.Keys.FirstOrDefault(k => !done.Contains(k));
        return missing is null;
    }
}
