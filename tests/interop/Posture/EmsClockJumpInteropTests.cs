// `pgate ems` as a real process under a wall clock that steps (issue 12 "Loss and faults": a clock
// jump), by libfaketime (Debian package faketime): its timestamp file moves the EMS's
// CLOCK_REALTIME a day forward, then an hour back, while the EMS runs and a gateway follows its
// change stream. CLOCK_MONOTONIC stays real (FAKETIME_DONT_FAKE_MONOTONIC), as in a real clock
// step, and only the EMS and its admin CLI (the same machine) see the faked clock.
using System.Text.Json;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

public sealed class EmsClockJumpInteropTests(ITestOutputHelper output)
{
    private const string LibFaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    private const string Tag = "lab_ok";
    private const string DynamicAddress = "EMS1_ZTNA_lab_ok";
    private const string Uid = "C10C4A5EC10C4A5EC10C4A5EC10C4A5E";
    private const string LaterUid = "C10C4A5E00000000000000000000D1A1";
    private const long TokenLifetime = 7200;
    private static readonly TimeSpan PushWait = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task ADayForwardThenAnHourBack_TokensInvitationsVersionsAndThePushStreamStayConsistent()
    {
        LabRequirements.EnsureOrSkip();
        LabRequirements.EnsureFileOrSkip(LibFaketime, "faketime");
        await using var lab = await InteropLab.CreateAsync(output);
        var clock = Path.Combine(lab.StateDir, "ems-clock");
        SetClock(clock, "+0");
        // No cache: the file is read on every clock call, so a rewrite is a step. Monotonic time stays
        // real (a real step leaves it alone), and without FORCE_MONOTONIC_FIX .NET's timed waits work.
        string[] faked = ["env", $"LD_PRELOAD={LibFaketime}", $"FAKETIME_TIMESTAMP_FILE={clock}", "FAKETIME_NO_CACHE=1",
            "FAKETIME_DONT_FAKE_MONOTONIC=1", "FAKETIME_FORCE_MONOTONIC_FIX=0"];
        var ems = await lab.StartEmsWithLauncherAsync(InteropLab.GatewayIp, faked);
        Assert.True((await Admin(faked, "token", "settings", "--enable", "--lifetime", $"{TokenLifetime}", "--data", ems.DataDirectory)).Succeeded);
        await lab.RegisterEndpointAsync(ems, Uid, InteropLab.ClientIp, host: "clock-jump");
        await lab.SetEndpointTagAsync(ems, Tag, Uid, present: true);
        var shortInvite = await InviteAsync(lab, faked, ems, "1h", uses: 1);
        await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = [DynamicAddress], EmsCallTimeout = 1 }.ToString());
        await WaitForTagAsync(lab, present: true);
        var lostLines = LostLines(lab);
        var versions = new List<long> { await VersionAsync(lab, ems) };
        var first = await TokenAsync(lab, ems, Uid);

        // A day forward: the token from before is past its exp on the EMS's clock, a new one is issued
        // now with its full lifetime, the 1 h invitation is refused, the gateway hears a tag removal.
        SetClock(clock, "+1d");
        var forward = await TokenAsync(lab, ems, Uid);
        Assert.True(forward.Iat >= first.Iat + 86_400 - 5, $"the EMS's clock did not move a day: iat {first.Iat} -> {forward.Iat}");
        Assert.True(first.Exp < forward.Iat, "the earlier token is past its exp");
        var refused = await EnrollAsync(lab, ems, LaterUid, shortInvite);
        Assert.False(refused.Succeeded, refused.ToString());
        Assert.Contains("expired at", refused.ToString(), StringComparison.Ordinal);
        Assert.True((await Admin(faked, "tag", "remove", Tag, Uid, "--data", ems.DataDirectory)).Succeeded);
        await WaitForTagAsync(lab, present: false);
        versions.Add(await VersionAsync(lab, ems));
        var freshInvite = await InviteAsync(lab, faked, ems, "2h", uses: 1);
        var enrolled = await EnrollAsync(lab, ems, LaterUid, freshInvite);
        Assert.True(enrolled.Succeeded, enrolled.ToString());

        // An hour back: tokens are issued at the stepped-back time with their full lifetime (never a
        // negative one), the device enrolled "an hour in the future" still gets in (its certificate is
        // backdated by a day), and the gateway hears the tag come back.
        SetClock(clock, "+23h");
        var back = await TokenAsync(lab, ems, Uid);
        Assert.True(back.Iat < forward.Iat, $"the EMS's clock did not step back: iat {forward.Iat} -> {back.Iat}");
        await TokenAsync(lab, ems, LaterUid);
        Assert.True((await Admin(faked, "tag", "add", Tag, Uid, "--data", ems.DataDirectory)).Succeeded);
        await WaitForTagAsync(lab, present: true);
        versions.Add(await VersionAsync(lab, ems));

        // Versions come from a sequence, never the clock: strictly rising across both steps.
        Assert.Equal(versions.Order().Distinct(), versions);
        var status = await lab.PgateDiagnoseAsync("endpoint", "fctems", "status");
        Assert.Contains("state: synced", status.StdOut, StringComparison.Ordinal);
        Assert.Contains($"last sync version: {versions[^1]}", status.StdOut, StringComparison.Ordinal);
        // The push stream was never lost (each loss is a warning naming the connector).
        Assert.Equal(lostLines, LostLines(lab));
        var emsLog = lab.LiveLog("pgate ems");
        Assert.DoesNotContain("   at ", emsLog, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", emsLog, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", emsLog, StringComparison.Ordinal);
        output.WriteLine($"tokens iat: {first.Iat}, +1d {forward.Iat}, then -1h {back.Iat}; versions {string.Join(" < ", versions)}");
    }

    private sealed record Token(long Iat, long Exp);

    /// <summary>Rewrites libfaketime's timestamp file in one step (a rename), so the EMS never reads half of it.</summary>
    private static void SetClock(string path, string offset)
    {
        File.WriteAllText(path + ".new", offset + "\n");
        File.Move(path + ".new", path, overwrite: true);
    }

    /// <summary>The admin CLI on the EMS's machine, under the same faked clock.</summary>
    private static Task<CommandResult> Admin(string[] faked, params string[] args) =>
        LabProcess.RunAsync(faked[0], [.. faked[1..], InteropLab.DotnetHost(), InteropLab.PgateDll(), "ems", .. args], TimeSpan.FromSeconds(60));

    private static async Task<string> InviteAsync(InteropLab lab, string[] faked, LabEms ems, string expires, int uses)
    {
        var invite = await Admin(faked, "invite", "create", "--uses", $"{uses}", "--expires", expires, "--data", ems.DataDirectory);
        var code = System.Text.RegularExpressions.Regex.Match(invite.StdOut, @"(?m)^invitation code: (\S+)\s*$");
        Assert.True(code.Success, lab.Explain(invite.ToString()));
        var file = Path.Combine(lab.StateDir, $"invite-{Guid.NewGuid():N}");
        File.WriteAllText(file, code.Groups[1].Value);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    private static Task<CommandResult> EnrollAsync(InteropLab lab, LabEms ems, string uid, string inviteFile) =>
        LabProcess.RunAsync("ip", ["netns", "exec", lab.Namespace(LabNamespace.Gateway), InteropLab.DotnetHost(), InteropLab.PgateDll(),
            "client", "enroll", "--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint, "--invite-file", inviteFile,
            "--device-dir", lab.PgateDeviceDir, "--uid", uid, "--ip", "192.0.2.77"], TimeSpan.FromSeconds(90));

    /// <summary>The endpoint's own token over mutual TLS with its device certificate; asserts the full lifetime.</summary>
    private static async Task<Token> TokenAsync(InteropLab lab, LabEms ems, string uid)
    {
        var r = await lab.ExecInGatewayAsync("curl", "-sk", "--fail-with-body", "--cert", Path.Combine(lab.PgateDeviceDir, uid + ".crt"),
            "--key", Path.Combine(lab.PgateDeviceDir, uid + ".key"), $"{ems.Url}/api/v1/endpoints/{uid}/token?binding=none");
        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        using var json = JsonDocument.Parse(r.StdOut);
        var token = new Token(json.RootElement.GetProperty("iat").GetInt64(), json.RootElement.GetProperty("exp").GetInt64());
        Assert.Equal(TokenLifetime, token.Exp - token.Iat);
        return token;
    }

    private static async Task<long> VersionAsync(InteropLab lab, LabEms ems)
    {
        var r = await lab.ExecInGatewayAsync("curl", "-sk", "--fail-with-body", "-H", $"Authorization: Bearer {ems.GatewayApiKey}",
            ems.Url + "/api/v1/gateway/snapshot");
        Assert.True(r.Succeeded, lab.Explain(r.ToString()));
        using var json = JsonDocument.Parse(r.StdOut);
        return json.RootElement.GetProperty("version").GetInt64();
    }

    private static Task WaitForTagAsync(InteropLab lab, bool present) =>
        lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", DynamicAddress)).StdOut
                .Contains($"ADDR({InteropLab.ClientIp})", StringComparison.Ordinal) == present,
            PushWait, $"the gateway to hear the tag {(present ? "added" : "removed")} on the EMS's change stream");

    private static int LostLines(InteropLab lab) =>
        lab.LogTail(LabLog.Pgate, int.MaxValue).Split('\n').Count(l => l.Contains("fctems 1 (", StringComparison.Ordinal));
}
