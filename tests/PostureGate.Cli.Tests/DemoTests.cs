// `pgate demo` in-process: the seed's two examples with the real EMS, gateway and clients.
using System.CommandLine;
using System.Text.Json;

namespace PostureGate.Cli.Tests;

public class DemoTests
{
    private static readonly string Example = FindExample();

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Program.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void DemoReplaysBothExamplesAndExitsZero()
    {
        var (exit, output, error) = Run("demo", "--config", Example);

        Assert.True(exit == 0, DemoFailure.FromText(output, error));
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        // Example 1: the seed's headings, tag resolution, success, instance and address, then the refusal.
        Assert.Contains("# diagnose firewall dynamic list EMS1_ZTNA_all_registered_clients", lines);
        Assert.Contains("CMDB name: EMS1_ZTNA_all_registered_clients", lines);
        Assert.Contains("        ADDR(172.16.200.242)", lines);
        Assert.Contains("# diagnose endpoint ec-shm list", lines);
        Assert.Contains("                IP Address = 172.16.200.242", lines);
        Assert.Contains("# diagnose vpn ike gateway list", lines);
        Assert.Contains("name: dialup_0", lines);
        Assert.Contains("assigned IPv4 address: 10.212.134.200/255.255.255.255", lines);
        Assert.Contains("# diagnose vpn tunnel list", lines);
        Assert.Contains(lines, l => l.StartsWith("name=dialup_0 ver=2 ", StringComparison.Ordinal) && l.Contains(" tun_id=10.212.134.200 ", StringComparison.Ordinal));
        Assert.Contains("parent=dialup index=0", lines);
        Assert.Contains(lines, l => l.EndsWith(": EMS SN check passed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(": EMS ZTNA tags check success ZTNA_all_registered_clients", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(": EMS ZTNA tags check failure, abort", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(": sending IKE_AUTH ZTNA TAGS check failure notification response", StringComparison.Ordinal));
        // Example 2: the token admits with the EMS away; the named diagnose commands; the tampered token is refused.
        Assert.Contains("FCTTAGS=1", lines);
        Assert.Contains(lines, l => l.EndsWith(": EMS ZTNA token tags check success ZTNA_a", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(": send EMS_ZTNA_TAGS_CHECK_SUCCESS", StringComparison.Ordinal));
        Assert.Contains("# diagnose vpn ike gateway list name FCT_EMS_TAG_ph2_0", lines);
        Assert.Contains("name: FCT_EMS_TAG_ph2_0", lines);
        Assert.Contains("assigned IPv4 address: 10.139.1.2/255.255.255.255", lines);
        Assert.Contains("# diagnose vpn tunnel list name FCT_EMS_TAG_ph2_0", lines);
        Assert.Contains(lines, l => l.Contains("token refused: BadSignature", StringComparison.Ordinal));
        // Every seed debug line, in order and with its prefix (the seed's EMS serial included).
        Assert.Contains(lines, l => l.StartsWith("  [ok] seed debug line 12: ike V=root:0:FCT_EMS_TAG_ph2:40481: received FCT data", StringComparison.Ordinal));
        Assert.Contains("EMSSN=FCTEMS8826000120", lines);
        // The slow EMS: a refusal naming it, and the token deciding.
        Assert.Contains(lines, l => l.Contains("too slow, no answer within the posture decision budget", StringComparison.Ordinal));
        Assert.Contains("  [ok] with its token: admitted, the token deciding", lines);
        // Issue 11: the slow EMS's late backlog about PC4 arrives while PC4 is connected and keeps its tunnel.
        Assert.Contains("  [ok] the EMS's late changes caught up: the gateway's cache has PC4 with tag a", lines);
        Assert.Contains("  [ok] PC4's tunnel survived the late changes", lines);
        Assert.DoesNotContain("FAIL", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("  [FAIL]", StringComparison.Ordinal));
        Assert.Contains("7/7 steps behaved as the seed says.", lines);
    }

    [Fact]
    public void DemoJsonIsOneDocumentOfPassedSteps()
    {
        var (exit, output, error) = Run("demo", "--config", Example, "--json");

        Assert.True(exit == 0, DemoFailure.FromJson(output, error));
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
        var steps = doc.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(7, steps.Count);
        Assert.All(steps, s => Assert.True(s.GetProperty("passed").GetBoolean(), s.GetProperty("name").GetString()));
        var first = steps[0];
        Assert.Equal("tunnel up: instance dialup_0, address 10.212.134.200", first.GetProperty("actual").GetString());
        Assert.Contains(first.GetProperty("debug").EnumerateArray(), l => l.GetString()!.EndsWith("EMS ZTNA tags check success ZTNA_all_registered_clients", StringComparison.Ordinal));
        Assert.Equal(
            ["diagnose firewall dynamic list EMS1_ZTNA_all_registered_clients", "diagnose endpoint ec-shm list", "diagnose vpn ike gateway list", "diagnose vpn tunnel list"],
            first.GetProperty("diagnose").EnumerateArray().Select(d => d.GetProperty("command").GetString()!).ToArray());
        Assert.StartsWith("refused: ZTNA_TAGS_CHECK_FAILURE", steps[1].GetProperty("actual").GetString());
        Assert.Equal("tunnel up: instance FCT_EMS_TAG_ph2_0, address 10.139.1.2", steps[5].GetProperty("actual").GetString());
        Assert.StartsWith("refused: ZTNA_TAGS_CHECK_FAILURE", steps[6].GetProperty("actual").GetString());
    }

    [Fact]
    public void DemoWithAConfigurationMissingTheSeedsTunnelsFails()
    {
        var dir = Directory.CreateTempSubdirectory("pgate-demo-test-").FullName;
        try
        {
            // Example 1 only: example 2's tunnel is absent, so the demo cannot behave as the seed says.
            var text = File.ReadAllText(Example);
            var cut = text.IndexOf("# --- seed, example 2", StringComparison.Ordinal);
            var path = Path.Combine(dir, "example1.conf");
            File.WriteAllText(path, text[..cut]);

            var (exit, output, error) = Run("demo", "--config", path);

            Assert.NotEqual(0, exit);
            Assert.Contains("FCT_EMS_TAG_ph2", output + error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string FindExample()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "dialup.conf");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("examples/dialup.conf");
    }
}

/// <summary>The demo's loopback copy of the configuration: only the dial-up interfaces' `set ip` change.</summary>
public class LoopbackConfigTests
{
    private const string Config = """
        config system interface
            edit "port1"
                set ip 192.0.2.4 255.255.255.0
                set alias "wan"
            next
            edit "mgmt1"
                set ip 203.0.113.1 255.255.255.0
            next
        end
        config firewall address
            edit "port1"
                set ip 192.0.2.99 255.255.255.255
            next
        end
        """;

    private static readonly Dictionary<string, System.Net.IPAddress> Port1 = new() { ["port1"] = System.Net.IPAddress.Parse("127.0.0.1") };

    [Fact]
    public void RewritesTheNamedInterfaceOnly()
    {
        Assert.True(PostureGate.Cli.Demo.LoopbackConfig.TryRewrite(Config, Port1, out var text, out var missing));

        Assert.Null(missing);
        var lines = text.Split('\n');
        Assert.Contains("        set ip 127.0.0.1 255.255.255.255", lines);
        Assert.Contains("        set ip 203.0.113.1 255.255.255.0", lines);   // mgmt1: not a dial-up interface
        Assert.Contains("        set ip 192.0.2.99 255.255.255.255", lines); // same name outside `config system interface`
        Assert.DoesNotContain("        set ip 192.0.2.4 255.255.255.0", lines);
        Assert.Equal(Config.Split('\n').Length, lines.Length - 1);
    }

    [Fact]
    public void AnInterfaceWithoutAnAddressIsNamed()
    {
        var vlan = new Dictionary<string, System.Net.IPAddress> { ["vlan160"] = System.Net.IPAddress.Parse("127.0.0.2") };

        Assert.False(PostureGate.Cli.Demo.LoopbackConfig.TryRewrite(Config, vlan, out _, out var missing));

        Assert.Equal("vlan160", missing);
    }
}

/// <summary>The demo's tampered token: same header and signature, an edited payload.</summary>
public class TamperTests
{
    [Fact]
    public void OnlyThePayloadChangesAndItsExpiryMovesADayOn()
    {
        var payload = System.Buffers.Text.Base64Url.EncodeToString("{\"exp\":1000,\"iat\":900}"u8);
        var jwt = $"eyJhbGciOiJSUzI1NiJ9.{payload}.c2lnbmF0dXJl";

        var tampered = PostureGate.Cli.Demo.SeedDemo.Tamper(jwt).Split('.');

        Assert.Equal("eyJhbGciOiJSUzI1NiJ9", tampered[0]);
        Assert.Equal("c2lnbmF0dXJl", tampered[2]);
        using var doc = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(tampered[1]));
        Assert.Equal(87_400, doc.RootElement.GetProperty("exp").GetInt64());
        Assert.Equal(900, doc.RootElement.GetProperty("iat").GetInt64());
    }

    [Fact]
    public void ATokenThatIsNotAJwtStillComesBackDifferent()
    {
        Assert.NotEqual("not-a-jwt", PostureGate.Cli.Demo.SeedDemo.Tamper("not-a-jwt"));
    }
}
