// The seed's two examples ("Enforcing security posture verification before dial-up VPN
// connection"), replayed with the real EMS, gateway and client on loopback:
//   Example 1  1. PC1, registered (so holding all_registered_clients), connects to "dialup":
//                 tag check success, instance dialup_0, the first address of dialup_range.
//              2. PC2 still carries the EMS's serial but the EMS has no registration for it:
//                 the tag check fails and the gateway answers with the failure notify.
//   Example 2  3. The EMS enables ZTNA tokens; PC3 registers, the admin gives it tag "a", and
//                 it fetches its token.  4. The EMS stops (past out-of-sync-threshold).
//              5. PC3 connects to FCT_EMS_TAG_ph2 with FCTTAGS=1: admitted by the token.
//              6. The same machine with its token's payload edited: refused.
using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PostureGate.Client;
using PostureGate.Ike.Sa;
using PostureGate.Posture;

namespace PostureGate.Cli.Demo;

public static class SeedDemo
{
    public const string Example1Tunnel = "dialup";
    public const string Example1Tag = "EMS1_ZTNA_all_registered_clients";
    public const string Example2Tunnel = "FCT_EMS_TAG_ph2";
    public const string Example2Tag = "EMS3_ZTNA_a";

    // The seed's endpoints: PC1 of example 1 and the Windows machine of example 2.
    public const string Pc1Uid = "6108A9179A5C40D7BD57504E15114C1F";
    public static readonly IPAddress Pc1Ip = IPAddress.Parse("172.16.200.242");
    public const string Pc2Uid = "0B5E2C4A9D7F4E1C8A3B6D2F1E0C9A87";
    public static readonly IPAddress Pc2Ip = IPAddress.Parse("172.16.200.243");
    public const string Pc3Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    public static readonly IPAddress Pc3Ip = IPAddress.Parse("10.160.1.197");
    public const string Pc4Uid = "3C1E9A7B5D2F4A6C8E0B1D3F5A7C9E2B";
    public static readonly IPAddress Pc4Ip = IPAddress.Parse("10.160.1.198");

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>Runs every step, reporting each as it completes; the lab is the caller's.</summary>
    public static async Task<IReadOnlyList<DemoStep>> RunAsync(DemoLab lab, Action<DemoStep> completed, CancellationToken ct)
    {
        var steps = new List<DemoStep>();
        void Done(DemoStep s)
        {
            steps.Add(s);
            completed(s);
        }
        await lab.Debug.TakeAsync(Quiet, Settle, ct).ConfigureAwait(false); // the start-up's lines are not a step's

        // Example 1, step 1.
        var pc1Out = new StringWriter();
        await using var pc1 = new ClientSession(lab.ClientFor(Example1Tunnel, Pc1Uid, Pc1Ip), pc1Out);
        // The seed's PC1 is registered before it connects: the gateway has its tags by then.
        await pc1.EnrollAsync(ct).ConfigureAwait(false);
        var allRegistered = DynamicTagOf(Example1Tag);
        await lab.WaitUntilGatewayKnowsAsync(Example1Tunnel, Pc1Uid, e => e.HasTag(allRegistered), ct).ConfigureAwait(false);
        var r1 = await pc1.ConnectOnceAsync(ct).ConfigureAwait(false);
        Done(await AdmittedAsync(lab, "Example 1: PC1 holds " + Example1Tag + " and connects", Example1Tunnel, Example1Tag, Pc1Uid, r1, pc1Out,
            [$"EMS SN check passed", $"EMS ZTNA tags check success {ShortName(Example1Tag)}", "responder creating new child"], SeedDebugLines.Example1Match, ct).ConfigureAwait(false));

        // Example 1, step 2: a FortiClient registered with the EMS, but without the tag: the EMS's rule
        // for all_registered_clients leaves it out (as an admin narrowing a tag's rule would).
        var ems1 = lab.EmsOf(Example1Tunnel);
        var tagRule = ems1.Store.ListTags().First(t => t.Name == DynamicTagOf(Example1Tag));
        var narrowed = ems1.Store.SetRule(tagRule.Name, $"registered and endpoint.uid != '{Pc2Uid}'");
        var pc2Out = new StringWriter();
        await using var pc2 = new ClientSession(lab.ClientFor(Example1Tunnel, Pc2Uid, Pc2Ip), pc2Out);
        await pc2.EnrollAsync(ct).ConfigureAwait(false);
        await lab.WaitUntilGatewayKnowsAsync(Example1Tunnel, Pc2Uid, e => !e.HasTag(allRegistered), ct).ConfigureAwait(false);
        var r2 = await pc2.ConnectOnceAsync(ct).ConfigureAwait(false);
        var step2 = await RefusedAsync(lab, "Example 1: PC2, registered with the EMS but without the tag, is refused", Example1Tunnel, Example1Tag, Pc2Uid, pc2, r2, pc2Out,
            ["EMS SN check passed", "EMS ZTNA tags check failure, abort", "Negotiate SA Error: EMS ZTNA tags check failed",
             "sending IKE_AUTH ZTNA TAGS check failure notification response"], SeedDebugLines.Example1Refused, ct).ConfigureAwait(false);
        if (tagRule.Expression is { } rule)
            ems1.Store.SetRule(tagRule.Name, rule);
        Done(step2 with
        {
            Checks =
            [
                new("EMS: the rule of all_registered_clients leaves PC2 out", narrowed.Succeeded),
                new("PC2 is registered with the EMS, without the tag", pc2.Status.EmsSerial == ems1.SerialNumber && !pc2.Status.Tags.Contains(tagRule.Name)),
                .. step2.Checks,
            ],
        });

        // Example 2, step 3: ZTNA token on, PC3 registered with tag a, token fetched.
        var pc3Out = new StringWriter();
        // Example 2's FortiClient sends its notifies in the IKE_AUTH after EAP (the seed logs them after "authentication succeeded").
        await using var pc3 = new ClientSession(lab.ClientFor(Example2Tunnel, Pc3Uid, Pc3Ip) with { NotifiesInLastAuth = true }, pc3Out);
        var ems3 = lab.EmsOf(Example2Tunnel);
        var enabled = ems3.Store.SetTokenSettings(true, null, null);
        await pc3.EnrollAsync(ct).ConfigureAwait(false);
        var assigned = ems3.Store.AssignTag(DynamicTagOf(Example2Tag), Pc3Uid);
        await pc3.RefreshAsync(ct).ConfigureAwait(false);
        var token = pc3.Token;
        Done(new DemoStep
        {
            Name = "Example 2: the EMS enables ZTNA tokens; PC3 registers, gets tag a and fetches its token",
            Expected = "PC3 holds tag a and a signed token carrying it",
            Actual = $"tags {string.Join(' ', pc3.Status.Tags)}; token {(token is null ? "none" : $"{token.Kid}, expires {token.ExpiresAt:u}")}",
            Checks =
            [
                new("EMS: Enable ZTNA Token", enabled.Succeeded),
                new("EMS: tag a assigned to PC3", assigned.Succeeded),
                new("PC3 holds tag a", pc3.Status.Tags.Contains(DynamicTagOf(Example2Tag))),
                new("PC3 has a token", token is not null),
            ],
            Client = Lines(pc3Out),
            Debug = await lab.Debug.TakeAsync(Quiet, Settle, ct).ConfigureAwait(false),
        });

        var fctems = DynamicAddressName.TryParse(Example2Tag, out var tagName) ? tagName.ConnectorId : 0;
        Done(await SlowEmsAsync(lab, fctems, ct).ConfigureAwait(false));

        // Example 2, step 4.
        await lab.StopEmsAsync(fctems, ct).ConfigureAwait(false);
        var status = await lab.DiagnoseAsync("endpoint fctems status", ct).ConfigureAwait(false);
        Done(new DemoStep
        {
            Name = $"Example 2: the EMS of fctems {fctems} becomes unreachable",
            Expected = $"fctems {fctems} lost, its cache past out-of-sync-threshold",
            Actual = string.Join(", ", lab.Posture.Connectors.Select(c => $"fctems {c.Settings.Id} {c.State.ToString().ToLowerInvariant()}")),
            Checks = [new($"fctems {fctems}'s cache may not decide", lab.Posture.Connectors.Any(c => c.Settings.Id == fctems && !c.CacheUsable))],
            Debug = await lab.Debug.TakeAsync(Quiet, Settle, ct).ConfigureAwait(false),
            Diagnose = [new("diagnose endpoint fctems status", status)],
        });

        // Example 2, step 5.
        var r5 = await pc3.ConnectOnceAsync(ct).ConfigureAwait(false);
        var step5 = await AdmittedAsync(lab, "Example 2: PC3 (FCTTAGS=1) connects while the EMS is unreachable", Example2Tunnel, Example2Tag, Pc3Uid, r5, pc3Out,
            ["received FCT data", "FCTTAGS=1", "received ZTNA tags update token", $"EMS ZTNA token tags check success {ShortName(Example2Tag)}",
             "send EMS_ZTNA_TAGS_CHECK_SUCCESS"], SeedDebugLines.Example2Token, ct, named: true).ConfigureAwait(false);
        Done(step5 with
        {
            Checks = [.. step5.Checks, new("the client received EMS_ZTNA_TAGS_CHECK_SUCCESS", r5.Notifies.Any(n => n.Type == PrivateNotifies.EmsZtnaTagsCheckSuccess))],
        });

        // Example 2, step 6: the same machine, its token's payload edited (expiry pushed a day on).
        var pc4Out = new StringWriter();
        var tampered = token is null ? "" : Tamper(token.Token);
        var pc4Settings = lab.ClientFor(Example2Tunnel, Pc3Uid, Pc3Ip) with
        {
            Ems = null,
            Registration = new EmsRegistration(Pc3Uid, lab.EmsOf(Example2Tunnel).SerialNumber, lab.EmsOf(Example2Tunnel).TenantId, [DynamicTagOf(Example2Tag)], true, 300),
            TokenOverride = tampered,
        };
        await using var pc4 = new ClientSession(pc4Settings, pc4Out);
        var r6 = await pc4.ConnectOnceAsync(ct).ConfigureAwait(false);
        var step6 = await RefusedAsync(lab, "Example 2: a token whose payload was edited is refused", Example2Tunnel, Example2Tag, null, pc4, r6, pc4Out,
            ["received ZTNA tags update token", "EMS ZTNA token tags check failure", "EMS ZTNA tags check failure, abort",
             "sending IKE_AUTH ZTNA TAGS check failure notification response"], null, ct).ConfigureAwait(false);
        Done(step6 with { Checks = [new("a token from step 3 to tamper with", token is not null), .. step6.Checks] });
        return steps;
    }

    /// <summary>
    /// The seed's "unreachable or slow": the EMS answers, but only after the posture decision budget
    /// (its answers are held until both decisions are made, then let go: late, whatever the load).
    /// PC4 registers (and gets tag a) while the EMS is slow, so the gateway's cache has not heard of
    /// it and asks the EMS: without a token it is refused when the budget ends, the reason naming the
    /// slow EMS; with its token it is admitted by the token, also when the budget ends. The EMS's
    /// held answers then go on while PC4 is connected, its late changes must not delete PC4's
    /// tunnel (issue 11), and PC4 leaves.
    /// </summary>
    private static async Task<DemoStep> SlowEmsAsync(DemoLab lab, int fctems, CancellationToken ct)
    {
        var ems = lab.EmsFor(fctems);
        var link = lab.LinkTo(fctems);
        var budget = lab.Options.DecisionBudget;
        var output = new StringWriter();
        var settings = lab.ClientFor(Example2Tunnel, Pc4Uid, Pc4Ip) with { NotifiesInLastAuth = true };
        IkeInitiateResult refused, admitted;
        TimeSpan refusedAfter, admittedAfter;
        string? refusal;
        bool tagged, left, caughtUp, kept;
        var connector = lab.Posture.Connectors.First(c => c.Settings.Id == fctems);
        link.Hold();
        try
        {
            await using (var noToken = new ClientSession(settings with { SendToken = false }, output))
            {
                await noToken.EnrollAsync(ct).ConfigureAwait(false);
                tagged = ems.Store.AssignTag(DynamicTagOf(Example2Tag), Pc4Uid).Succeeded;
                var started = Environment.TickCount64;
                refused = await noToken.ConnectOnceAsync(ct).ConfigureAwait(false);
                refusedAfter = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                refusal = noToken.Status.LastError;
            }
            await using var withToken = new ClientSession(settings, output);
            await withToken.EnrollAsync(ct).ConfigureAwait(false);
            await withToken.RefreshAsync(ct).ConfigureAwait(false);
            var began = Environment.TickCount64;
            admitted = await withToken.ConnectOnceAsync(ct).ConfigureAwait(false);
            admittedAfter = TimeSpan.FromMilliseconds(Environment.TickCount64 - began);
            await AwaitLinesAsync(lab, ["EMS ZTNA token tags check success"], ct).ConfigureAwait(false);
            // Issue 11: the EMS's late backlog about PC4 (enrolled, registered, tagged a) arrives
            // at once while PC4 is connected; the newest state keeps its tunnel.
            link.Release();
            caughtUp = await DemoLab.UntilAsync(() => connector.Store.TryGetByUid(Pc4Uid, out var e) && e.HasTag(DynamicTagOf(Example2Tag)), ct).ConfigureAwait(false);
            kept = lab.Posture.Gate.LiveTunnels.Any(t => t.Uid == Pc4Uid) && lab.Gateway.Ike.Snapshot(Example2Tunnel).Any(s => s.FortiClientUid == Pc4Uid);
            await withToken.DisconnectAsync().ConfigureAwait(false);
        }
        finally
        {
            // The late answers go on (to cancelled requests; the change stream catches up).
            link.Release();
        }
        left = await DemoLab.UntilAsync(() => !lab.Gateway.Ike.Snapshot(Example2Tunnel).Any(s => s.FortiClientUid == Pc4Uid), ct).ConfigureAwait(false);
        var debug = await lab.Debug.TakeAsync(Quiet, Settle, ct).ConfigureAwait(false);
        return new DemoStep
        {
            Name = $"Example 2: the EMS of fctems {fctems} answers, but only after the {budget.TotalSeconds:0} s posture decision budget",
            Expected = "PC4 without a token refused (the EMS too slow); with its token admitted by the token; both answered by the gateway",
            Actual = $"without a token: {(refused.Success ? "admitted" : $"refused ({refusal})")} after {refusedAfter.TotalSeconds:0.0} s; "
                + $"with its token: {(admitted.Success ? "admitted" : $"refused ({admitted.Error})")} after {admittedAfter.TotalSeconds:0.0} s",
            Checks =
            [
                new("EMS: tag a assigned to PC4", tagged),
                new("without a token: refused with the ZTNA tags check failure notify", !refused.Success
                    && refusal?.Contains(PrivateNotifies.NameOf(PrivateNotifies.ZtnaTagsCheckFailure)!, StringComparison.Ordinal) == true),
                new("the refusal names the slow EMS", debug.Any(l => l.Contains("too slow, no answer within the posture decision budget", StringComparison.Ordinal))),
                new("with its token: admitted, the token deciding", admitted.Success && admitted.Notifies.Any(n => n.Type == PrivateNotifies.EmsZtnaTagsCheckSuccess)),
                new("the EMS's late changes caught up: the gateway's cache has PC4 with tag a", caughtUp),
                new("PC4's tunnel survived the late changes", kept),
                new("PC4 left (its instance free for the next step)", left),
            ],
            Client = Lines(output),
            Debug = debug,
        };
    }

    /// <summary>
    /// The debug stream reaches us asynchronously: on a busy machine a step's lines can lag its
    /// result, so wait (bounded) for the ones the step expects before taking the step's lines.
    /// </summary>
    private static async Task AwaitLinesAsync(DemoLab lab, string[] texts, CancellationToken ct)
    {
        foreach (var t in texts)
            await lab.Debug.WaitForAsync(t, LineWait, ct).ConfigureAwait(false);
    }

    private static readonly TimeSpan LineWait = DemoLab.Patience;

    private static async Task<DemoStep> AdmittedAsync(DemoLab lab, string name, string tunnel, string tag, string uid, IkeInitiateResult r,
        StringWriter client, string[] debugTexts, SeedExcerpt? seed, CancellationToken ct, bool named = false)
    {
        var p1 = lab.Config.Phase1Interfaces.Find(tunnel)!;
        p1.TryGetIpv4Pool(out var first, out _);
        var instance = $"{tunnel}_0";
        var sa = lab.Gateway.Ike.Snapshot().FirstOrDefault(s => s.FortiClientUid == uid);
        await AwaitLinesAsync(lab, debugTexts, ct).ConfigureAwait(false);
        var debug = await lab.Debug.TakeAsync(Quiet, Settle, ct).ConfigureAwait(false);
        var diagnose = await DiagnoseAllAsync(lab, tag, named ? instance : null, ct).ConfigureAwait(false);
        var gw = diagnose[2].Value;
        List<DemoCheck> checks =
        [
            new("tunnel established", r.Success && r.Child is not null),
            new($"gateway instance {instance}", sa?.Name == instance),
            new($"first address of the range, {first}", sa?.AssignedAddress?.Equals(first) == true && r.VirtualIp?.Equals(first) == true),
            new($"diagnose vpn ike gateway list shows name: {instance}", gw.Contains($"name: {instance}", StringComparison.Ordinal)),
            new($"diagnose vpn ike gateway list shows assigned IPv4 address: {first}", gw.Contains($"assigned IPv4 address: {first}/", StringComparison.Ordinal)),
            .. DebugChecks(debugTexts, seed, debug, out var comparison),
        ];
        return new DemoStep
        {
            Name = name,
            Seed = comparison,
            Expected = $"tunnel up: instance {instance}, address {first}",
            Actual = r.Success ? $"tunnel up: instance {sa?.Name ?? "?"}, address {sa?.AssignedAddress?.ToString() ?? "?"}" : $"refused: {r.Error ?? r.ChildError}",
            Checks = checks,
            Client = Lines(client),
            Debug = debug,
            Diagnose = diagnose,
        };
    }

    private static async Task<DemoStep> RefusedAsync(DemoLab lab, string name, string tunnel, string tag, string? uid, ClientSession session, IkeInitiateResult r,
        StringWriter client, string[] debugTexts, SeedExcerpt? seed, CancellationToken ct)
    {
        await AwaitLinesAsync(lab, debugTexts, ct).ConfigureAwait(false);
        var debug = await lab.Debug.TakeAsync(Quiet, Settle, ct).ConfigureAwait(false);
        var diagnose = await DiagnoseAllAsync(lab, tag, null, ct).ConfigureAwait(false);
        var error = session.Status.LastError ?? "";
        List<DemoCheck> checks =
        [
            new("no tunnel", !r.Success),
            new("refused with the ZTNA tags check failure notify", error.Contains(PrivateNotifies.NameOf(PrivateNotifies.ZtnaTagsCheckFailure)!, StringComparison.Ordinal)),
            new("the gateway keeps no SA for the endpoint", uid is null || !lab.Gateway.Ike.Snapshot(tunnel).Any(s => s.FortiClientUid == uid)),
            .. DebugChecks(debugTexts, seed, debug, out var comparison),
        ];
        return new DemoStep
        {
            Name = name,
            Seed = comparison,
            Expected = "refused: EMS ZTNA tags check failed (the failure notify)",
            Actual = r.Success ? $"tunnel up: {r.Instance}" : $"refused: {error}",
            Checks = checks,
            Client = Lines(client),
            Debug = debug,
            Diagnose = diagnose,
        };
    }

    // Where the seed prints the step's debug lines: each of them, in order and with its prefix;
    // elsewhere the lines the step must show.
    private static IEnumerable<DemoCheck> DebugChecks(string[] texts, SeedExcerpt? seed, IReadOnlyList<string> debug, out SeedComparison? comparison)
    {
        if (seed is null)
        {
            comparison = null;
            return texts.Select(t => new DemoCheck($"debug: \"{t}\"", debug.Any(l => l.Contains(t, StringComparison.Ordinal)))).ToList();
        }
        comparison = SeedLineComparer.Compare(seed, debug);
        return comparison.Lines.Select((l, i) => new DemoCheck(
            $"seed debug line {i + 1}{(l.Problem == SeedLineProblem.None ? "" : $" ({l.Problem})")}: {SeedComparison.FirstLine(l.Seed)}",
            l.Problem == SeedLineProblem.None)).ToList();
    }

    // The seed's four diagnose commands, as the seed writes them.
    private static async Task<List<KeyValuePair<string, string>>> DiagnoseAllAsync(DemoLab lab, string tag, string? instance, CancellationToken ct)
    {
        var filter = instance is null ? "" : $" name {instance}";
        var list = new List<KeyValuePair<string, string>>();
        foreach (var words in new[] { $"firewall dynamic list {tag}", "endpoint ec-shm list", "vpn ike gateway list" + filter, "vpn tunnel list" + filter })
            list.Add(new("diagnose " + words, await lab.DiagnoseAsync(words, ct).ConfigureAwait(false)));
        return list;
    }

    /// <summary>"EMS3_ZTNA_a" → "a" (the EMS's tag name).</summary>
    public static string DynamicTagOf(string cmdbName) => DynamicAddressName.TryParse(cmdbName, out var n) ? n.Tag : cmdbName;

    /// <summary>"EMS3_ZTNA_a" → "ZTNA_a" (how the debug line prints it).</summary>
    public static string ShortName(string cmdbName) => DynamicAddressName.TryParse(cmdbName, out var n) ? n.ShortName : cmdbName;

    /// <summary>The token with its payload's exp a day later and the signature left as it was.</summary>
    public static string Tamper(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3 || JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) is not JsonObject payload)
            return jwt + "x";
        payload["exp"] = (payload["exp"]?.GetValue<long>() ?? 0) + 86_400;
        parts[1] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return string.Join('.', parts);
    }

    private static string[] Lines(StringWriter w)
    {
        var text = w.ToString();
        w.GetStringBuilder().Clear();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }
}
