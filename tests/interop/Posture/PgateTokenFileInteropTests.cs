using System.Security.Cryptography;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

/// <summary>
/// Tokens from any issuer through real processes (issue 11): `pgate gateway` synced with
/// `pgate ems` (its signing key pinned), then the EMS killed; `pgate client connect
/// --ztna-token-file` sends a token minted with that EMS's key (or another) in the seed's
/// Example 2 shape, for Example 2's endpoint, which the EMS never knew — so the token decides.
/// </summary>
public sealed class PgateTokenFileInteropTests(ITestOutputHelper output)
{
    private const string SeedUid = "F8A6AFF3531843B4972CBDBEEEB30E3C"; // the seed's Example 2 endpoint
    private const string DynamicAddress = "EMS1_ZTNA_a";
    private static readonly (string, int)[] SeedTags = [("a", 1), ("all_registered_clients", 1), ("Low", 3)];

    [SkippableFact]
    public async Task SeedShapedTokenWithoutKid_AdmitsExample2sClient_WithTheEmsStopped()
    {
        var (lab, tokens) = await StartWithTheEmsStoppedAsync();
        await using var _ = lab;
        using var __ = tokens;
        var now = DateTimeOffset.UtcNow;
        var token = tokens.Sign(LabTokens.SeedHeader, LabTokens.Payload(SeedUid, SeedTags, now, now.AddHours(1)));

        var r = await RunClientAsync(lab, "seed", token);

        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        Assert.Contains("(gateway: EMS ZTNA tags check success)", r.Output);
        var decision = lab.PostureAuditLines("decision")[^1];
        Assert.Contains("\"outcome\":\"allow\"", decision);
        Assert.Contains("\"source\":\"token\"", decision);
        Assert.Contains($"\"tag\":\"{DynamicAddress}\"", decision);
        Assert.Contains($"\"uid\":\"{SeedUid}\"", decision);
    }

    [SkippableFact]
    public async Task BadTokens_AreEachRefusedWithTheirReason()
    {
        var (lab, tokens) = await StartWithTheEmsStoppedAsync();
        await using var _ = lab;
        using var __ = tokens;
        using var otherEms = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        var payload = LabTokens.Payload(SeedUid, SeedTags, now, now.AddHours(1));
        (string Name, string Token, string Reason)[] matrix =
        [
            ("expired", tokens.Sign(LabTokens.SeedHeader, LabTokens.Payload(SeedUid, SeedTags, now.AddHours(-2), now.AddHours(-1))), "Expired"),
            ("wrong-signature", tokens.Sign(LabTokens.SeedHeader, payload, otherEms), "BadSignature"),
            ("other-uid", tokens.Sign(LabTokens.SeedHeader, LabTokens.Payload("6108A9179A5C40D7BD57504E15114C1F", SeedTags, now, now.AddHours(1))), "UidMismatch"),
            ("other-issuer", tokens.Sign($$"""{"alg":"RS256","typ":"JWT","kid":"other-ems-{{tokens.EmsKid}}"}""", payload, otherEms), "UnknownKid"),
            ("alg-none", LabTokens.B64("""{"alg":"none","typ":"JWT"}""") + "." + LabTokens.B64(payload) + ".", "AlgorithmNotAllowed"),
            ("garbage", "garbage", "NotThreeParts"),
        ];
        foreach (var (name, token, reason) in matrix)
        {
            var r = await RunClientAsync(lab, name, token);

            // 7: refused for posture, and told why (POSTURE_REASON, issue 13).
            Assert.True(r.ExitCode == 7, lab.Explain($"{name}: the gateway admitted it:\n{r}"));
            Assert.Contains("ZTNA_TAGS_CHECK_FAILURE (16128): tunnel dialup admits devices with tag a; the EMS did not answer in time and this device's ZTNA token", r.Output);
            var decision = lab.PostureAuditLines("decision")[^1];
            Assert.True(decision.Contains($"\"reason\":\"EMS ZTNA tags check failed: token refused: {reason}\"", StringComparison.Ordinal),
                lab.Explain($"{name}: expected refusal {reason}, audit line:\n{decision}"));
        }
        var gateways = await lab.PgateDiagnoseAsync("vpn", "ike", "gateway", "list");
        Assert.DoesNotContain("dialup_0", gateways.StdOut);
    }

    // The gateway synced (keys pinned) from an EMS that never heard of the seed's endpoint; then the EMS dies.
    private async Task<(InteropLab Lab, LabTokens Tokens)> StartWithTheEmsStoppedAsync()
    {
        var lab = await InteropLab.CreateAsync(output);
        try
        {
            var ems = await lab.StartEmsAsync();
            await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = [DynamicAddress], EmsCallTimeout = 1, EmsOutOfSyncThreshold = 10 }.ToString());
            await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains("state: synced", StringComparison.Ordinal),
                TimeSpan.FromSeconds(15), "the fctems connector to sync (its signing key pinned)");
            var tokens = LabTokens.FromEms(ems);
            await lab.KillEmsAsync(ems);
            return (lab, tokens);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private static async Task<CommandResult> RunClientAsync(InteropLab lab, string name, string token)
    {
        var file = Path.Combine(lab.StateDir, $"token-{name}.jwt");
        await File.WriteAllTextAsync(file, token);
        return await lab.RunPgateClientOnceAsync(null, "--uid", SeedUid, "--ip", InteropLab.ClientIp, "--ztna-token-file", file);
    }
}
