// Which Linux interface the kernel routes a destination through, so that a
// decrypted packet's dstintf can be matched against policies. Built from
// `ip -j -4 route show table main` (iproute2's JSON), longest prefix first.
using System.Net;
using System.Text.Json;
using PostureGate.Net;
using PostureGate.Platform;

namespace PostureGate.Gateway.Firewall;

public sealed class RouteTable
{
    private readonly (uint Network, uint Mask, string Device)[] _routes;

    public RouteTable(IEnumerable<(uint Network, int PrefixLength, string Device)> routes) =>
        _routes = routes
            .OrderByDescending(r => r.PrefixLength)
            .Select(r => (r.Network & Ipv4Subnet.MaskOf(r.PrefixLength), Ipv4Subnet.MaskOf(r.PrefixLength), r.Device))
            .ToArray();

    public static RouteTable Empty { get; } = new([]);

    public int Count => _routes.Length;

    public string? Lookup(uint destination)
    {
        foreach (var (net, mask, dev) in _routes)
            if ((destination & mask) == net)
                return dev;
        return null;
    }

    /// <summary>Parses iproute2's JSON; unknown or partial entries (blackhole, unreachable without dev) are skipped.</summary>
    public static RouteTable ParseIpJson(string json)
    {
        var routes = new List<(uint, int, string)>();
        using var doc = JsonDocument.Parse(json);
        foreach (var r in doc.RootElement.EnumerateArray())
        {
            if (!r.TryGetProperty("dst", out var dstEl) || !r.TryGetProperty("dev", out var devEl))
                continue;
            var dst = dstEl.GetString();
            var dev = devEl.GetString();
            if (dst is null || dev is null)
                continue;
            if (dst == "default")
            {
                routes.Add((0, 0, dev));
                continue;
            }
            var slash = dst.IndexOf('/');
            var prefix = slash < 0 ? 32 : int.Parse(dst.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture);
            if (!IPAddress.TryParse(slash < 0 ? dst : dst[..slash], out var addr) || addr.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
                continue;
            routes.Add((Ipv4.ToUInt32(addr), prefix, dev));
        }
        return new RouteTable(routes);
    }

    /// <summary>Reads the kernel's main table of the current network namespace.</summary>
    public static async Task<RouteTable> LoadAsync(CancellationToken ct)
    {
        var r = await HostCommand.IpAsync(["-j", "-4", "route", "show", "table", "main"], ct).ConfigureAwait(false);
        return r.Succeeded && r.Output.Length > 0 ? ParseIpJson(r.Output) : Empty;
    }
}
