// The demo's comparison of the gateway's ike debug lines with the seed's: a real run's lines
// (Example 1's refusal, as `pgate demo` printed them) pass; the same log doctored — a seed line
// removed, two swapped, a prefix changed — fails, naming the line and what is wrong with it.
using PostureGate.Cli.Demo;

namespace PostureGate.Cli.Tests.Demo;

public class SeedLineComparerTests
{
    private static readonly string[] Refused =
    [
        "ike V=root:0: udp comes 127.0.0.1:59362->127.0.0.1:34462,ifindex=1,vrf=0,len=672....",
        "ike V=root:0:dialup:dialup: created connection: 0x24d7fa266087a1ee 1 127.0.0.1->127.0.0.1:59362.",
        "ike V=root:0:dialup:2: responder received AUTH msg",
        "ike V=root:0:dialup:2: processing notify type INITIAL_CONTACT",
        "ike V=root:0:dialup:2: received FCT-UID : 0B5E2C4A9D7F4E1C8A3B6D2F1E0C9A87",
        "ike V=root:0:dialup:2: peer identifier IPV4_ADDR 127.0.0.1",
        "ike V=root:0:dialup:2: responder preparing EAP identity request",
        "ike V=root:0:dialup:2: EAP succeeded for user \"userc\"",
        "ike V=root:0:dialup:2: responder received AUTH msg",
        "ike V=root:0:dialup:2: peer identifier IPV4_ADDR 127.0.0.1",
        "ike V=root:0:dialup:2: auth verify done",
        "ike V=root:0:dialup:2: responder AUTH continuation",
        "ike V=root:0:dialup:2: authentication succeeded",
        "ike V=root:0:dialup_1:2: EMS SN check passed",
        "ike V=root:0:dialup_1:2: EMS ZTNA tags check failure, abort",
        "ike V=root:dialup_1 Negotiate SA Error: EMS ZTNA tags check failed",
        "ike V=root:0:dialup_1:2: sending IKE_AUTH ZTNA TAGS check failure notification response",
        "ike V=root:0:dialup_1:2: deleting IKE SA (EMS ZTNA tags check failed: no tag resolves the endpoint)",
    ];

    private static SeedComparison Compare(IEnumerable<string> log) => SeedLineComparer.Compare(SeedDebugLines.Example1Refused, [.. log]);

    [Fact]
    public void ARealRunsLinesMatchTheSeedInOrder()
    {
        var c = Compare(Refused);

        Assert.True(c.Passed, string.Join("\n", c.Failures));
        // The seed's second "responder received AUTH msg" is the AUTH after EAP, not the first IKE_AUTH's.
        Assert.Equal(8, c.Lines[0].Index);
    }

    [Fact]
    public void AMissingSeedLineFails()
    {
        var c = Compare(Refused.Where(l => !l.EndsWith("EMS SN check passed", StringComparison.Ordinal)));

        Assert.False(c.Passed);
        var line = Assert.Single(c.Lines, l => l.Problem != SeedLineProblem.None);
        Assert.Equal(SeedLineProblem.Missing, line.Problem);
        Assert.EndsWith("EMS SN check passed", line.Seed);
    }

    [Fact]
    public void ASeedLineOutOfOrderFails()
    {
        var log = Refused.ToList();
        var error = log.FindIndex(l => l.Contains("Negotiate SA Error", StringComparison.Ordinal));
        (log[error], log[error + 1]) = (log[error + 1], log[error]);

        var c = Compare(log);

        Assert.False(c.Passed);
        Assert.Contains(c.Lines, l => l.Problem == SeedLineProblem.OutOfOrder);
        Assert.Contains(c.Failures, f => f.Contains("out of order", StringComparison.Ordinal));
    }

    [Theory]
    // The error line as the old gateway printed it: the usual prefix, a serial and the detailed reason.
    [InlineData("ike V=root:dialup_1 Negotiate SA Error: EMS ZTNA tags check failed", "ike V=root:0:dialup_1:2: Negotiate SA Error: EMS ZTNA tags check failed")]
    // Another phase1's name.
    [InlineData("ike V=root:0:dialup_1:2: EMS SN check passed", "ike V=root:0:FCT_EMS_TAG_ph2_0:2: EMS SN check passed")]
    // No serial where FortiOS prints one.
    [InlineData("ike V=root:0:dialup:2: authentication succeeded", "ike V=root:0:dialup: authentication succeeded")]
    public void AWronglyPrefixedSeedLineFails(string right, string wrong)
    {
        var c = Compare(Refused.Select(l => l == right ? wrong : l));

        Assert.False(c.Passed);
        var line = Assert.Single(c.Lines, l => l.Problem != SeedLineProblem.None);
        Assert.Equal(SeedLineProblem.WrongPrefix, line.Problem);
        Assert.Equal(wrong, line.Found);
    }

    [Fact]
    public void OnlyWhatVariesIsMasked()
    {
        Assert.Equal(
            "ike V=root:0: udp comes <address>-><address>,ifindex=<ifindex>,vrf=0,len=<length>....",
            SeedLineComparer.Normalize("ike V=root:0: udp comes 10.160.1.197:55846->10.160.1.1:4500,ifindex=1123,vrf=0,len=466...."));
        Assert.Equal(
            "ike V=root:0:FCT_EMS_TAG_ph2:FCT_EMS_TAG_ph2: created connection: 0x<handle> <ifindex> <address>-><address>.",
            SeedLineComparer.Normalize("ike V=root:0:FCT_EMS_TAG_ph2:FCT_EMS_TAG_ph2: created connection: 0x55e62c7d8a50 1123 10.160.1.1->10.160.1.197:55846."));
        // The EMS serial is not masked: the demo's EMS has the seed's.
        Assert.Equal("ike V=root:0:dialup:<serial>: received EMS SN : FCTEMS8826000120",
            SeedLineComparer.Normalize("ike V=root:0:dialup:3: received EMS SN : FCTEMS8826000120"));
    }

    [Fact]
    public void FortiClientConnectsTextComparesKeyByKeyWithTheSerialExact()
    {
        var seed = SeedDebugLines.Example2Token;
        var fct = seed.Lines.Single(l => l.Contains("received FCT data", StringComparison.Ordinal));
        var demo = fct.Replace(":40481:", ":3:", StringComparison.Ordinal).Replace("FCTVER=7.4.5.1949", "FCTVER=7.4.5.0-pgate", StringComparison.Ordinal) + "\n'";
        var otherEms = demo.Replace("EMSSN=FCTEMS8826000120", "EMSSN=FCTEMS0116350711", StringComparison.Ordinal);
        var excerpt = seed with { Lines = [fct] };

        Assert.True(SeedLineComparer.Compare(excerpt, [demo]).Passed);
        Assert.False(SeedLineComparer.Compare(excerpt, [otherEms]).Passed);
    }
}
