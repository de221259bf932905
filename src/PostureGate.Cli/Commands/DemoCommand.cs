// `pgate demo`: the seed's two examples replayed end to end on loopback with the real
// EMS, gateway and client (control plane only, no root), printing each step's debug
// lines and diagnose outputs as the seed shows them. Exit 0 only when every step
// behaves as the seed says; --json gives the same as one document.
using System.CommandLine;
using PostureGate.Cli.Demo;

namespace PostureGate.Cli.Commands;

internal static class DemoCommand
{
    // About 40 s on a quiet machine; a machine running the whole test suite beside it can take
    // several times that. Each wait inside has its own ceiling; this one only ends a wedged run.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = $"configuration holding the seed's tunnels [default: {ConfigLocator.DefaultRelativePath}]" };
        var json = new Option<bool>("--json") { Description = "one JSON document: steps with expected, actual, passed, debug lines, diagnose outputs" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "gateway and EMS logs on the console too" };
        var compare = new Option<string?>("--seed-comparison") { Description = "also write the seed's debug lines beside the demo's (Markdown tables) to FILE", HelpName = "FILE" };
        var cmd = new Command("demo", "Replay the seed's two examples end to end on loopback (EMS, gateway, clients in this process)") { config, json, verbose, compare };
        cmd.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(config) ?? ConfigLocator.Find();
            if (path is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"no configuration: {ConfigLocator.DefaultRelativePath} not found; pass --config FILE").ConfigureAwait(false);
                return 1;
            }
            return await RunAsync(path, parse.GetValue(json), parse.GetValue(verbose), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct,
                parse.GetValue(compare)).ConfigureAwait(false);
        });
        return cmd;
    }

    internal static async Task<int> RunAsync(string configPath, bool json, bool verbose, TextWriter output, TextWriter error, CancellationToken ct,
        string? seedComparison = null)
    {
        var steps = new List<DemoStep>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Limit); // a wedged step must not hang the demo (or CI)
        try
        {
            await using var lab = await DemoLab.StartAsync(new DemoLabOptions { ConfigPath = configPath, Verbose = verbose }, limit.Token).ConfigureAwait(false);
            if (!json)
            {
                foreach (var f in lab.Config.FctEms.Where(f => f.Enabled))
                    output.WriteLine($"fctems {f.Id} ({f.Name}): EMS {lab.EmsFor(f.Id).Url}, serial {lab.EmsFor(f.Id).SerialNumber}");
                output.WriteLine("gateway on " +
                    string.Join(", ", lab.InterfaceAddresses.Select(a => $"{a.Key} = {a.Value}")) + $", IKE {lab.IkePort}/udp, NAT-T {lab.NatTPort}/udp; control plane only");
                output.WriteLine($"configuration {configPath} (interfaces moved onto loopback); fctems call-timeout {lab.Options.CallTimeout.TotalSeconds:0} s, "
                    + $"out-of-sync-threshold {lab.Options.OutOfSyncThreshold.TotalSeconds:0} s; posture decision budget {lab.Options.DecisionBudget.TotalSeconds:0} s");
            }
            await SeedDemo.RunAsync(lab, s =>
            {
                steps.Add(s);
                if (!json)
                    DemoReport.WriteText(output, s);
            }, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DemoLabException or IOException or System.Net.Sockets.SocketException or InvalidOperationException
            or System.Net.Http.HttpRequestException or PostureGate.Client.EmsEnrollmentException or OperationCanceledException)
        {
            var why = ex is OperationCanceledException && !ct.IsCancellationRequested ? $"the demo did not finish within {Limit.TotalSeconds:0} s" : ex.Message;
            if (json)
                await output.WriteLineAsync(DemoReport.ToJson(steps, why)).ConfigureAwait(false);
            else
                await error.WriteLineAsync($"pgate demo: {why}").ConfigureAwait(false);
            return 1;
        }
        if (json)
            await output.WriteLineAsync(DemoReport.ToJson(steps)).ConfigureAwait(false);
        else
            DemoReport.WriteSummary(output, steps);
        if (seedComparison is not null)
        {
            try
            {
                await File.WriteAllTextAsync(seedComparison,
                    string.Join("\n", steps.Where(s => s.Seed is not null).Select(s => SeedLineComparer.SideBySide(s.Seed!))), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"pgate demo: --seed-comparison {seedComparison}: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        }
        return steps.Count > 0 && steps.All(s => s.Passed) ? 0 : 1;
    }
}
