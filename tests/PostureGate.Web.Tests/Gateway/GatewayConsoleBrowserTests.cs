// The gateway console in Chromium against real processes: `pgate up` (EMS and gateway), a real
// `pgate client`, `pgate ems` and `pgate diagnose` as a user runs them. Sign-in (and a wrong
// password refused), a client's tunnel listed with what admitted it, a read-only admin refused
// when deleting it and signed out by `pgate gateway admin remove` while the gateway runs, the EMS removing its tag and the tunnel leaving the page, the wizard writing a
// tunnel the reloaded gateway then has, and a file the reload refuses left as it was.
using Microsoft.Playwright;
using PostureGate.Gateway.Admin;
using PostureGate.Web.Accounts;
using PostureGate.Web.Tests.Browser;

namespace PostureGate.Web.Tests.Gateway;

public sealed class GatewayConsoleBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string WriterPassword = "writer-password-for-tests";
    private const string ReaderPassword = "reader-password-for-tests";

    // Two admins written to the gateway's account file before it starts (so no first admin is made).
    private static void TwoAdmins(string dataDirectory)
    {
        var accounts = AdminAccountFile.Open(dataDirectory);
        accounts.Add(AdminPasswords.Create("writer", WriterPassword, AdminRole.ReadWrite, DateTimeOffset.UtcNow));
        accounts.Add(AdminPasswords.Create("reader", ReaderPassword, AdminRole.ReadOnly, DateTimeOffset.UtcNow));
    }

    private static async Task<ILocator> TunnelRowAsync(IPage page, string url)
    {
        await page.GotoAsync(url + GatewayConsole.Tunnels);
        return page.Locator("tr[data-instance]");
    }

    [SkippableFact]
    public async Task AClientsTunnelIsListed_AReaderCannotDeleteIt_AndItLeavesWhenTheEmsRemovesItsTag()
    {
        var writer = await chromium.NewPageAsync();
        var reader = await chromium.NewPageAsync();
        await using var up = await GatewayUp.StartAsync(TwoAdmins);
        Assert.Null(up.PasswordFile);
        await up.ConnectAsync("dialup");

        // A wrong password: refused, no session.
        await writer.SignInAsync(up.ConsoleUrl, "writer", "not the password");
        Assert.Equal("User name or password is wrong.", await writer.AlertAsync());
        Assert.Null(await writer.SessionCookieAsync());

        await writer.SignInAsync(up.ConsoleUrl, "writer", WriterPassword);
        Assert.Equal("writer (read-write)", await writer.GetByTestId("who").InnerTextAsync());
        await Screenshots.TakeAsync(writer, "gateway-status");
        var row = await TunnelRowAsync(writer, up.ConsoleUrl);
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var text = await row.InnerTextAsync();
        Assert.Contains("dialup_0", text, StringComparison.Ordinal);
        Assert.Contains("userc", text, StringComparison.Ordinal);
        Assert.Contains("10.212.134.200", text, StringComparison.Ordinal);
        Assert.Contains("EMS1_ZTNA_all_registered_clients", text, StringComparison.Ordinal);
        Assert.Contains("ems", text, StringComparison.Ordinal);
        await Screenshots.TakeAsync(writer, "gateway-tunnels");

        // The read-only admin sees the tunnel; deleting it is answered 403 and changes nothing.
        await reader.SignInAsync(up.ConsoleUrl, "reader", ReaderPassword);
        var readerRow = await TunnelRowAsync(reader, up.ConsoleUrl);
        var refused = await reader.SubmitAsync(readerRow.Locator("button[type=submit]"));
        Assert.Equal(403, refused!.Status);
        Assert.Contains("read-only", await reader.AlertAsync() ?? "", StringComparison.Ordinal);
        Assert.Contains("name: dialup_0", await up.RunAsync("diagnose", "--control", up.ControlSocket, "vpn", "ike", "gateway", "list"), StringComparison.Ordinal);

        // `pgate gateway admin remove` in another process while the reader is signed in: the running
        // gateway's next page refuses the session, without a restart or SIGHUP.
        await up.RunAsync("gateway", "admin", "--data", up.DataDirectory, "remove", "reader");
        await reader.ReloadAsync();
        Assert.StartsWith(up.ConsoleUrl + ConsolePaths.SignIn, reader.Url, StringComparison.Ordinal);
        await reader.SignInAsync(up.ConsoleUrl, "reader", ReaderPassword);
        Assert.Equal("User name or password is wrong.", await reader.AlertAsync());

        // The decision that admitted it, one click from posture explain.
        await writer.GotoAsync(up.ConsoleUrl + GatewayConsole.Decisions);
        await Screenshots.TakeAsync(writer, "gateway-decisions");
        var uid = writer.GetByTestId("decisions").Locator("td a").First;
        await writer.SubmitAsync(uid);
        Assert.Contains("tunnel dialup: allow", await writer.GetByTestId("explain").InnerTextAsync(), StringComparison.Ordinal);
        await Screenshots.TakeAsync(writer, "gateway-explain");

        // The EMS drops the rule behind the tag: the gateway deletes the tunnel, and the page no longer lists it.
        await up.RunAsync("ems", "--data", Path.Combine(up.DataDirectory, "ems"), "tag", "rule", "remove", "all_registered_clients");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await (await TunnelRowAsync(writer, up.ConsoleUrl)).CountAsync() > 0)
            await Task.Delay(500, limit.Token);
        Assert.Equal("No tunnel is up.", await writer.GetByTestId("no-tunnels").InnerTextAsync());
        await writer.GotoAsync(up.ConsoleUrl + GatewayConsole.Decisions);
        Assert.Contains("revoke", await writer.GetByTestId("decisions").InnerTextAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheFirstAdminFromUpsFileWritesATunnelWithTheWizard_AndTheReloadedGatewayHasIt()
    {
        var page = await chromium.NewPageAsync();
        await using var up = await GatewayUp.StartAsync();
        // up printed the file's path, never the password; the file is the owner's alone.
        Assert.NotNull(up.PasswordFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(up.PasswordFile!));
        var password = File.ReadAllText(up.PasswordFile!).Trim();
        Assert.DoesNotContain(password, up.Up.Output, StringComparison.Ordinal);

        await page.SignInAsync(up.ConsoleUrl, FirstAdmin.Name, password);
        await page.GotoAsync(up.ConsoleUrl + GatewayConsole.Wizard);
        const string psk = "wizard-preshared-key";
        await FillAsync(page, "wiz1", psk, start: "10.99.0.1", end: "10.99.0.20");
        await Screenshots.TakeAsync(page, "gateway-wizard-form");
        await page.SubmitAsync(page.GetByTestId("preview"));
        var cli = await page.GetByTestId("wizard-cli").InnerTextAsync();
        Assert.Contains("edit \"wiz1\"", cli, StringComparison.Ordinal);
        Assert.Contains("set remote-gw-match ztna", cli, StringComparison.Ordinal);
        Assert.Contains("set remote-gw-ztna-tags \"EMS3_ZTNA_a\"", cli, StringComparison.Ordinal);
        Assert.Contains("set psksecret ENC ****", cli, StringComparison.Ordinal);
        Assert.DoesNotContain(psk, cli, StringComparison.Ordinal);
        await Screenshots.TakeAsync(page, "gateway-wizard-cli");

        await page.SubmitAsync(page.GetByTestId("apply"));
        Assert.Null(await page.AlertAsync());
        Assert.Equal("Tunnel wiz1 added and the configuration reloaded.", await page.Locator("[role=status]").InnerTextAsync());
        var file = await File.ReadAllTextAsync(up.ConfigPath);
        Assert.Contains("edit \"wiz1\"", file, StringComparison.Ordinal);
        Assert.DoesNotContain(psk, file, StringComparison.Ordinal);
        // The running gateway reloaded it: the new phase1 is one of its dial-up tunnels.
        Assert.Contains("name=wiz1 ", await up.RunAsync("diagnose", "--control", up.ControlSocket, "vpn", "tunnel", "list"), StringComparison.Ordinal);

        // A tunnel whose pool ends before it starts: the reload's error line, and the file as it was.
        await page.GotoAsync(up.ConsoleUrl + GatewayConsole.Wizard);
        await FillAsync(page, "wiz2", psk, start: "10.98.0.20", end: "10.98.0.1");
        await page.SubmitAsync(page.GetByTestId("preview"));
        await page.SubmitAsync(page.GetByTestId("apply"));
        Assert.Equal("The configuration was refused; nothing changed.", await page.AlertAsync());
        Assert.Contains("error: 'ipv4-end-ip' 10.98.0.1 is below 'ipv4-start-ip' 10.98.0.20", await page.GetByTestId("reload-output").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(file, await File.ReadAllTextAsync(up.ConfigPath));
    }

    private static async Task FillAsync(IPage page, string name, string psk, string start, string end)
    {
        await page.Locator("input[name='Form.Name']").FillAsync(name);
        await page.Locator("select[name='Form.Interface']").SelectOptionAsync("vlan160");
        await page.Locator("select[name='Form.UserGroup']").SelectOptionAsync("local_group");
        await page.Locator("input[name='Form.Psk']").FillAsync(psk);
        await page.Locator("select[name='Form.Tag']").SelectOptionAsync("EMS3_ZTNA_a");
        await page.Locator("input[name='Form.StartIp']").FillAsync(start);
        await page.Locator("input[name='Form.EndIp']").FillAsync(end);
        await page.Locator("select[name='Form.Destination']").SelectOptionAsync("lan_subnet");
        await page.Locator("select[name='Form.OutInterface']").SelectOptionAsync("mgmt1");
    }
}
