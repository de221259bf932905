// The user-supplied country database for `remote-gw-match geography`: a text file of lines
//   cidr,country         e.g. 198.51.100.0/24,FR
// '#' starts a comment, blank lines are skipped, the country is ISO 3166 alpha-2. The most
// specific prefix wins (a /32 override inside a /8). IPv4 and IPv6. Loading reports every bad
// line with its number instead of stopping at the first.
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Posture;

public sealed class CountryDatabase
{
    // One table per prefix length, searched longest first: 33 (or 129) hash lookups at most.
    private readonly Dictionary<UInt128, string>[] _v4 = NewTables(33);
    private readonly Dictionary<UInt128, string>[] _v6 = NewTables(129);

    public int Count { get; private set; }

    public static CountryDatabase Load(string path, out IReadOnlyList<string> errors) => Parse(File.ReadLines(path), out errors);

    public static CountryDatabase Parse(IEnumerable<string> lines, out IReadOnlyList<string> errors)
    {
        var db = new CountryDatabase();
        var problems = new List<string>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw;
            var hash = line.IndexOf('#');
            if (hash >= 0)
                line = line[..hash];
            line = line.Trim();
            if (line.Length == 0)
                continue;
            var comma = line.IndexOf(',');
            if (comma < 0)
            {
                problems.Add($"line {number}: expected cidr,country");
                continue;
            }
            var country = line[(comma + 1)..].Trim().ToUpperInvariant();
            if (country.Length != 2 || !char.IsAsciiLetter(country[0]) || !char.IsAsciiLetter(country[1]))
            {
                problems.Add($"line {number}: country '{country}' is not two letters");
                continue;
            }
            if (!IPNetwork.TryParse(line[..comma].Trim(), out var network))
            {
                problems.Add($"line {number}: '{line[..comma].Trim()}' is not a CIDR prefix");
                continue;
            }
            db.Add(network, country);
        }
        errors = problems;
        return db;
    }

    public void Add(IPNetwork network, string country)
    {
        var tables = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? _v4 : _v6;
        tables[network.PrefixLength][Key(network.BaseAddress, network.PrefixLength)] = country.ToUpperInvariant();
        Count++;
    }

    /// <summary>The country of the most specific prefix holding <paramref name="address"/>, or null.</summary>
    public string? Lookup(IPAddress address)
    {
        address = Ipv4Address.Normalize(address);
        var tables = address.AddressFamily == AddressFamily.InterNetwork ? _v4 : _v6;
        for (var length = tables.Length - 1; length >= 0; length--)
        {
            if (tables[length].Count > 0 && tables[length].TryGetValue(Key(address, length), out var country))
                return country;
        }
        return null;
    }

    private static UInt128 Key(IPAddress address, int prefixLength)
    {
        var value = Ipv4Address.ToUInt128(address, out var bits);
        return prefixLength == 0 ? 0 : value >> (bits - prefixLength) << (bits - prefixLength);
    }

    private static Dictionary<UInt128, string>[] NewTables(int count)
    {
        var tables = new Dictionary<UInt128, string>[count];
        for (var i = 0; i < count; i++)
            tables[i] = [];
        return tables;
    }
}
