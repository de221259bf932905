// A spoofed IKE_SA_INIT flood against `pgate gateway` in the lab's namespaces (issue 12 "Floods"),
// the short CI version of tests/interop/harness/ike-flood.sh: cookies (RFC 7296 §2.6) switch on at
// the half-open threshold, so the flood gets no more state than the threshold allows, and every
// legitimate client still connects. The long run beside strongSwan is the script's (docs/security.md).
using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

public sealed class PgateFloodInteropTests(ITestOutputHelper output)
{
    /// <summary>IkePeerConfig.CookieThreshold: half-open SAs above which IKE_SA_INIT must carry a COOKIE.</summary>
    private const int CookieThreshold = 1000;

    [SkippableFact]
    public async Task UnderASpoofedIkeSaInitFlood_CookiesAnswerIt_AndEveryLegitimateClientConnects()
    {
        LabRequirements.EnsureOrSkip();
        LabRequirements.EnsureToolOrSkip("python3", "python3");
        var script = Path.Combine(AppContext.BaseDirectory, "harness", "ike-flood.sh");
        var r = await LabProcess.RunAsync("bash", [script, "3000", "8", "30", InteropLab.PgateDll()], TimeSpan.FromMinutes(4),
            new Dictionary<string, string> { ["PG_FLOOD_GATEWAYS"] = "pgate" });
        output.WriteLine(r.ToString());
        Assert.True(r.Succeeded, r.ToString());
        var figures = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        int Figure(string key) => int.Parse(figures.GetValueOrDefault(key) ?? throw new Xunit.Sdk.XunitException($"{key} missing:\n{r}"),
            System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(Figure("pgate_legit_total"), Figure("pgate_legit_established"));
        Assert.True(Figure("pgate_flood_answers_cookie") > 0, "no COOKIE answered the flood:\n" + r);
        Assert.InRange(Figure("pgate_flood_answers_sa"), 1, CookieThreshold);
    }
}
