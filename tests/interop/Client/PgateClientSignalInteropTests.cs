// `pgate client connect` ended from its terminal: Ctrl-C (SIGINT) must say goodbye to the
// gateway as SIGTERM does — an INFORMATIONAL with a Delete payload for the IKE SA (RFC 7296
// §1.4.1) — print `disconnected` and leave the status file saying the session ended.
using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Client;

public sealed class PgateClientSignalInteropTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task CtrlC_DeletesTheSaAtThePgateGateway_PrintsDisconnected_AndUpdatesTheStatusFile()
    {
        await using var lab = await InteropLab.CreateWithPgateOnlyAsync(output);
        using var client = lab.StartPgateClient();
        await lab.WaitForPgateClientConnectedAsync(client);
        var before = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.True(before.StdOut.Contains("dialup_0", StringComparison.Ordinal), lab.Explain(before.ToString()));

        client.Interrupt();
        var exited = await client.Completion;

        Assert.True(exited.ExitCode == 0 && exited.Output.Contains("disconnected", StringComparison.Ordinal), lab.Explain(exited.ToString()));
        Assert.Equal("stopped", client.ReadStatus()?.State);
        // The DELETE was answered before the client printed `disconnected`: no SA is left to time out.
        var after = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.True(after.Succeeded && !after.StdOut.Contains("dialup_0", StringComparison.Ordinal), lab.Explain(after.ToString()));
    }
}
