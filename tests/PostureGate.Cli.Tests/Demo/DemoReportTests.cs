// How `pgate demo` reports a step: the seed's layout for people (debug lines under the seed's
// debug commands, each diagnose output under its command), a summary naming the failed checks,
// and a JSON document that passes only when every step did and the run had no error.
using System.Text.Json;
using PostureGate.Cli.Demo;

namespace PostureGate.Cli.Tests.Demo;

public class DemoReportTests
{
    private static DemoStep Step(string name, params DemoCheck[] checks) => new()
    {
        Name = name,
        Expected = "refused",
        Actual = "refused",
        Checks = checks,
    };

    [Fact]
    public void TextPutsEachOutputUnderTheCommandThatProducedIt()
    {
        var step = Step("untagged client", new DemoCheck("IKE_AUTH refused", true), new DemoCheck("no tunnel", false)) with
        {
            Client = ["connecting"],
            Debug = ["ike V=root:0:dialup:2: authentication succeeded"],
            Diagnose =
            [
                new("diagnose vpn ike gateway list", "no gateways"),
                new("diagnose endpoint record list", "Record #1:\n"),
            ],
        };
        var output = new StringWriter();

        DemoReport.WriteText(output, step);

        Assert.Equal(
            """

            === untagged client
            expected: refused
            actual:   refused
            client:
                connecting
            # diagnose debug application ike -1
            # diagnose debug enable
            ike V=root:0:dialup:2: authentication succeeded
            # diagnose vpn ike gateway list
            no gateways
            # diagnose endpoint record list
            Record #1:
              [ok] IKE_AUTH refused
              [FAIL] no tunnel
            FAIL

            """,
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TextLeavesOutEmptySections()
    {
        var output = new StringWriter();

        DemoReport.WriteText(output, Step("tagged client", new DemoCheck("tunnel up", true)));

        Assert.Equal("\n=== tagged client\nexpected: refused\nactual:   refused\n  [ok] tunnel up\nPASS\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SummaryCountsPassedStepsAndNamesOnlyTheFailedChecks()
    {
        var steps = new[]
        {
            Step("first", new DemoCheck("a", true)),
            Step("second", new DemoCheck("b", true), new DemoCheck("c", false), new DemoCheck("d", false)),
        };
        var output = new StringWriter();

        DemoReport.WriteSummary(output, steps);

        Assert.Equal("\n1/2 steps behaved as the seed says.\n  FAILED: second: c; d\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void JsonPassesOnlyWhenEveryStepPassedAndThereWasNoError()
    {
        var good = Step("good", new DemoCheck("a", true));
        var bad = Step("bad", new DemoCheck("b", false));

        Assert.True(Passed(DemoReport.ToJson([good])));
        Assert.False(Passed(DemoReport.ToJson([good, bad])));
        Assert.False(Passed(DemoReport.ToJson([good], error: "gateway did not start")));
        Assert.False(Passed(DemoReport.ToJson([])));
    }

    [Fact]
    public void JsonCarriesEachStepWithItsChecksAndDiagnoseOutputs()
    {
        var step = Step("s", new DemoCheck("tunnel up", false)) with { Diagnose = [new("diagnose vpn tunnel list", "list all ipsec tunnel in vd 0")] };

        using var json = JsonDocument.Parse(DemoReport.ToJson([step], error: "boom"));
        var root = json.RootElement;
        var s = root.GetProperty("steps")[0];

        Assert.Equal("boom", root.GetProperty("error").GetString());
        Assert.Equal("s", s.GetProperty("name").GetString());
        Assert.False(s.GetProperty("passed").GetBoolean());
        Assert.Equal("tunnel up", s.GetProperty("checks")[0].GetProperty("what").GetString());
        Assert.Equal("diagnose vpn tunnel list", s.GetProperty("diagnose")[0].GetProperty("command").GetString());
        Assert.Equal("list all ipsec tunnel in vd 0", s.GetProperty("diagnose")[0].GetProperty("output").GetString());
    }

    private static bool Passed(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("passed").GetBoolean();
    }
}
