using System.CommandLine;
using System.Text.Json;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Cli;

public class EmsCommandTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    [Fact]
    public void AdminCommands_WorkOnTheDataDirectory_WithoutAServer()
    {
        using var dir = new TempDirectory();
        Register(dir.Path, """{"os":{"build":19045},"av":{"running":false}}""");

        var (rc, output, error) = Run(dir.Path, "tag", "add", "a", Uid);
        Assert.True(rc == 0, error);
        Assert.Contains("tag a added", output);
        (rc, output, _) = Run(dir.Path, "endpoint", "show", Uid);
        Assert.Equal(0, rc);
        Assert.Contains("IP Address = 10.160.1.197", output);
        Assert.Contains("MAC list = 00:0c:29:2c:4d:d7", output);
        Assert.Contains("Tags: a(type 1), all_registered_clients(type 1)", output);
        Assert.Matches("EMS serial number: FCTEMS[0-9]{10}", output);

        (rc, _, _) = Run(dir.Path, "tag", "rule", "set", "os_current", "os.build >= 19045 and not av.running", "--type", "3");
        Assert.Equal(0, rc);
        (rc, output, _) = Run(dir.Path, "tag", "rule", "list");
        Assert.Contains("os_current\ttype 3\tos.build >= 19045 and not av.running", output);
        Assert.Contains("all_registered_clients\ttype 1\tregistered", output);
        (_, output, _) = Run(dir.Path, "endpoint", "list");
        Assert.Contains($"{Uid}  ", output);
        Assert.Contains("a,all_registered_clients,os_current", output);

        (rc, _, _) = Run(dir.Path, "tag", "remove", "a", Uid);
        Assert.Equal(0, rc);
        (rc, _, _) = Run(dir.Path, "tag", "rule", "remove", "os_current");
        Assert.Equal(0, rc);
        using (var store = EmsStore.Open(dir.Path))
            Assert.Equal(["all_registered_clients"], store.FindByUid(Uid)!.Tags.Select(t => t.Name));

        (rc, output, _) = Run(dir.Path, "token", "settings", "--enable", "--lifetime", "7200", "--refresh", "600");
        Assert.Equal(0, rc);
        Assert.Contains("enabled: yes\nlifetime: 7200s\nrefresh: 600s", output.Replace("\r", ""));
        (rc, output, _) = Run(dir.Path, "apikey", "rotate", "gateway");
        Assert.Equal(0, rc);
        var key = System.Text.RegularExpressions.Regex.Match(output, "gateway API key: (pgk_[A-Za-z0-9_-]{43})").Groups[1].Value;
        using (var store = EmsStore.Open(dir.Path))
            Assert.Equal(ApiKeyKind.Gateway, store.IdentifyApiKey(key));
    }

    [Theory]
    [InlineData("BadRule", new[] { "tag", "rule", "set", "x", "os.build >=" }, "column 12")]
    [InlineData("UnknownEndpoint", new[] { "tag", "add", "a", "00000000000000000000000000000001" }, "not registered")]
    [InlineData("BadUid", new[] { "endpoint", "show", "xyz" }, "no endpoint")]
    [InlineData("RuleTagNotRemovable", new[] { "tag", "remove", "all_registered_clients", Uid }, "comes from its rule")]
    [InlineData("BadSettings", new[] { "token", "settings", "--lifetime", "100", "--refresh", "200" }, "refresh must be shorter")]
    [InlineData("EnableAndDisable", new[] { "token", "settings", "--enable", "--disable" }, "together")]
    [InlineData("InviteBadExpiry", new[] { "invite", "create", "--expires", "soon" }, "not a duration")]
    [InlineData("InviteNoUses", new[] { "invite", "create", "--uses", "0" }, "uses must be")]
    [InlineData("InviteDeleteUnknown", new[] { "invite", "delete", "0badc0de" }, "no invitation")]
    [InlineData("ApproveNothingPending", new[] { "endpoint", "approve", Uid }, "no pending enrollment")]
    [InlineData("RevokeUnknown", new[] { "endpoint", "revoke", "00000000000000000000000000000001" }, "no endpoint, certificate or pending enrollment")]
    [InlineData("RevokeBadUid", new[] { "endpoint", "revoke", "xyz" }, "32 hexadecimal digits")]
    public void Failures_ExitOne_WithAReason_AndChangeNothing(string name, string[] args, string reason)
    {
        using var dir = new TempDirectory();
        Register(dir.Path, "{}");
        string before;
        using (var store = EmsStore.Open(dir.Path))
            before = Api.EnrollmentApiTests.State(store);
        var (rc, _, error) = Run(dir.Path, args);
        Assert.True(rc == 1, name);
        Assert.Contains(reason, error);
        using (var store = EmsStore.Open(dir.Path))
            Assert.Equal(before, Api.EnrollmentApiTests.State(store));
    }

    [Fact]
    public void Invite_ShowsTheCodeOnce_ListsOnlyItsIdAndUses()
    {
        using var dir = new TempDirectory();
        var (rc, output, error) = Run(dir.Path, "invite", "create", "--uses", "3", "--expires", "7d");
        Assert.True(rc == 0, error);
        var code = System.Text.RegularExpressions.Regex.Match(output, "invitation code: (pgi_([0-9a-f]{8})_[A-Za-z0-9_-]{43})");
        Assert.True(code.Success, output);

        (rc, output, _) = Run(dir.Path, "invite", "list");
        Assert.Equal(0, rc);
        Assert.Contains($"{code.Groups[2].Value}  0/3", output);
        Assert.DoesNotContain(code.Groups[1].Value, output);
        (rc, output, _) = Run(dir.Path, "enrollment", "--without-code", "pending");
        Assert.Equal(0, rc);
        Assert.Contains("without an invitation code: pending until approved", output);
    }

    [Fact]
    public async Task CliChange_BesideARunningServer_ReachesItsChangeStream()
    {
        await using var ems = await TestEms.StartAsync();
        await ems.RegisterAsync(Uid);
        var since = ems.Server.Store.CurrentVersion();
        await using var stream = await SseReader.OpenAsync(ems.Gateway, EmsApiRoutes.Changes + $"?since={since}");

        var (rc, _, error) = Run(ems.Data.Path, "tag", "add", "Low", Uid);
        Assert.True(rc == 0, error);

        var events = await stream.TakeAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal([ChangeKinds.TagDefined, ChangeKinds.EndpointUpdated], events.Select(e => e.Kind));
        Assert.Contains("\"Low\"", events[1].Data);
    }

    [Fact]
    public async Task CliKeyRotation_ReachesARunningServersJwks()
    {
        await using var ems = await TestEms.StartAsync();
        var before = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await ems.Gateway.GetStringAsync(EmsApiRoutes.Jwks));
        var (rc, output, error) = Run(ems.Data.Path, "token", "rotate");
        Assert.True(rc == 0, error);

        // The server's ring re-reads the key table at most once a second; poll until it has.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Microsoft.IdentityModel.Tokens.JsonWebKeySet after;
        do
        {
            await Task.Delay(100, guard.Token);
            after = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await ems.Gateway.GetStringAsync(EmsApiRoutes.Jwks, guard.Token));
        }
        while (after.Keys.Count < 2);
        var added = after.Keys.Select(k => k.Kid).Except(before.Keys.Select(k => k.Kid)).Single();
        Assert.Contains(added, output);
    }

    [Fact]
    public void Profiles_SetListRemove()
    {
        using var dir = new TempDirectory();
        var (rc, _, error) = Run(dir.Path, "profile", "set", "FCT_EMS_TAG_ph2", "--gateway", "10.160.1.1", "--tag", "a", "--tag", "Low");
        Assert.True(rc == 0, error);
        var (_, output, _) = Run(dir.Path, "profile", "list");
        Assert.Contains("FCT_EMS_TAG_ph2\t10.160.1.1\ta,Low", output);
        Assert.Equal(0, Run(dir.Path, "profile", "remove", "FCT_EMS_TAG_ph2").Rc);
        Assert.Equal(1, Run(dir.Path, "profile", "remove", "FCT_EMS_TAG_ph2").Rc);
    }

    [Fact]
    public void UnusableDataDirectory_IsAnError()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        var (rc, _, error) = Run(file, "endpoint", "list");
        Assert.Equal(1, rc);
        Assert.Contains("cannot open the EMS data directory", error);
    }

    [Fact]
    public async Task Ems_RunsTheServer_UntilCancelled()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var cts = new CancellationTokenSource();
        var run = Root().Parse(["ems", "--data", dir.Path, "--listen", "https://127.0.0.1:0"])
            .InvokeAsync(new InvocationConfiguration { Output = synchronized, Error = synchronized }, cts.Token);

        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // SyncTextWriter locks on itself; reading under the same lock sees whole lines.
        string Printed()
        {
            lock (synchronized)
                return output.ToString();
        }
        while (!Printed().Contains("admin API key") && !run.IsCompleted)
            await Task.Delay(50, guard.Token);
        var printed = Printed();
        Assert.Matches("EMS listening on https://127.0.0.1:[0-9]+", printed);
        Assert.Matches("serial number: FCTEMS[0-9]{10}", printed);
        Assert.Matches("certificate fingerprint \\(SHA-256\\): ([0-9A-F]{2}:){31}[0-9A-F]{2}", printed);
        Assert.Contains("gateway API key: pgk_", printed);

        cts.Cancel();
        Assert.Equal(0, await run.WaitAsync(guard.Token));
        Assert.Contains("EMS stopping", Printed());
    }

    private static RootCommand Root()
    {
        var root = new RootCommand("pgate");
        root.Subcommands.Add(EmsCommand.Create());
        return root;
    }

    internal static (int Rc, string Output, string Error) Run(string data, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var rc = Root().Parse(["ems", "--data", data, .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (rc, output.ToString(), error.ToString());
    }

    private static void Register(string data, string facts)
    {
        using var store = EmsStore.Open(data);
        Assert.True(TestEndpoints.Report(store, facts).Succeeded);
    }
}
