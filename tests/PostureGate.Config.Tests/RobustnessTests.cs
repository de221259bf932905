using FsCheck.Xunit;

namespace PostureGate.Config.Tests;

/// <summary>Whatever the text, loading reports diagnostics and never throws; a model only comes without errors.</summary>
public class RobustnessTests
{
    private static readonly string Example = File.ReadAllText(TestPaths.Example);

    private static readonly string[] Vocabulary =
    [
        "config", "edit", "next", "end", "set", "unset", "append", "\"", "\\", "#", "\n", "\r\n", "\t", " ",
        "vpn ipsec phase1-interface", "firewall policy", "0", "4294967295", "99999999999999999999", "1.2.3.4/33",
        "255.0.255.0", "ENC", "EMS0_ZTNA_", "EMS99999999999_ZTNA_x", "remote-gw-match", "ztna", "all", "any",
    ];

    [Property(MaxTest = 300)]
    public bool MutatedExampleNeverThrows(int seed)
    {
        var r = new Random(seed);
        var text = Example;
        for (var i = r.Next(1, 8); i > 0; i--)
        {
            var at = r.Next(text.Length);
            text = r.Next(3) switch
            {
                0 => text.Remove(at, Math.Min(r.Next(1, 40), text.Length - at)),
                1 => text.Insert(at, Vocabulary[r.Next(Vocabulary.Length)]),
                _ => text.Insert(at, ((char)r.Next(0, 0x3000)).ToString()),
            };
        }
        var result = ConfigLoader.Parse(text, "m.conf");
        return (result.Config is null) == result.Diagnostics.Any(d => d.IsError);
    }

    [Property(MaxTest = 200)]
    public bool RandomTokenSoupNeverThrows(int seed)
    {
        var r = new Random(seed);
        var parts = Enumerable.Range(0, r.Next(0, 200)).Select(_ => Vocabulary[r.Next(Vocabulary.Length)]);
        var result = ConfigLoader.Parse(string.Join(r.Next(2) == 0 ? " " : "", parts), "soup.conf");
        return (result.Config is null) == result.Diagnostics.Any(d => d.IsError);
    }
}
