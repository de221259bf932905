// The EMS console in Chromium against a real `pgate ems`: sign in with the first admin's password, find
// endpoints, see why a tag applies, add an admin tag and see it in the EMS API, preview a rule before
// saving it, read-only refused, an admin removed by `pgate ems admin remove` signed out at the next
// page, forms without an antiforgery token refused, markup in facts shown as text.
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PostureGate.Web.Tests.Browser;

namespace PostureGate.Web.Tests.Ems;

public sealed partial class EmsConsoleTests(EmsConsoleFixture fixture) : IClassFixture<EmsConsoleFixture>
{
    private EmsConsoleProcess Ems => fixture.Ems;

    private async Task<IPage> SignedInAsync(string user = "admin", string? password = null)
    {
        var page = await fixture.Chromium.NewPageAsync();
        await page.SignInAsync(Ems.Url, user, password ?? Ems.AdminPassword);
        return page;
    }

    private async Task<IReadOnlyList<string>> ApiTagsAsync(string uid)
    {
        using var json = await Ems.AdminApiAsync($"/api/v1/admin/endpoints/{uid}");
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];
    }

    [SkippableFact]
    public async Task FirstAdmin_SignsInWithThePasswordFromItsFile_WhichNoOutputShows()
    {
        var page = await SignedInAsync();

        Assert.Equal(Ems.Url + "/console", page.Url);
        Assert.Equal("admin (read-write)", await page.GetByTestId("who").InnerTextAsync());
        Assert.DoesNotContain(Ems.AdminPassword, Ems.Output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Ems.ConsoleAdminFile));
    }

    [SkippableFact]
    public async Task BadPassword_IsRefused_AndFiveLockTheAccountWhateverItsCase()
    {
        var page = await fixture.Chromium.NewPageAsync();
        await page.SignInAsync(Ems.Url, EmsConsoleFixture.LockeeName, "wrong password");
        Assert.Equal("User name or password is wrong.", await page.AlertAsync());

        foreach (var spelling in new[] { "LOCKEE", "Lockee", " lockee", "lockeE" })
            await page.SignInAsync(Ems.Url, spelling, "wrong password");
        await page.SignInAsync(Ems.Url, EmsConsoleFixture.LockeeName, EmsConsoleFixture.LockeePassword);

        Assert.Equal("Too many failed sign-ins: try again later.", await page.AlertAsync());
        Assert.Null(await page.SessionCookieAsync());
    }


    [SkippableFact]
    public async Task AnAdminRemovedWhileSignedIn_IsRefusedAtTheNextPage()
    {
        const string name = "leaver";
        const string password = "leaver password 1";
        await Ems.AddAdminAsync(name, "read-write", password);
        var page = await SignedInAsync(name, password);
        Assert.Equal("leaver (read-write)", await page.GetByTestId("who").InnerTextAsync());

        await PgateRun.RunAsync("ems", "admin", "remove", name, "--data", Ems.DataDirectory);
        await page.ReloadAsync();

        Assert.StartsWith(Ems.Url + ConsolePaths.SignIn, page.Url, StringComparison.Ordinal);
        Assert.Null(await page.SessionCookieAsync());
    }

    [SkippableFact]
    public async Task Search_FindsEndpointsByHostUserIpUidAndTag()
    {
        var page = await SignedInAsync();
        async Task<IReadOnlyList<string>> FindAsync(string q, string field)
        {
            await page.GotoAsync($"{Ems.Url}/console/endpoints?q={Uri.EscapeDataString(q)}&in={field}");
            return await page.Locator("table[data-testid=endpoints] tbody tr td:first-child").AllInnerTextsAsync();
        }

        Assert.Equal([EmsConsoleFixture.AliceUid], await FindAsync("alice-lap", "host"));
        Assert.Equal([EmsConsoleFixture.BobUid], await FindAsync("bob", "user"));
        Assert.Equal([EmsConsoleFixture.BobUid], await FindAsync("198.51.100.12", "ip"));
        Assert.Equal([EmsConsoleFixture.AliceUid], await FindAsync(EmsConsoleFixture.AliceUid[..8], "uid"));
        Assert.Equal(3, (await FindAsync("all_registered_clients", "tag")).Count);
        Assert.Empty(await FindAsync("nobody", "any"));

        // The search form itself, as a person uses it.
        await page.GotoAsync(Ems.Url + "/console");
        await page.Locator("input[name=q]").FillAsync("alice");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search" }));
        await page.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = EmsConsoleFixture.AliceUid }));
        Assert.Equal("alice-laptop", await page.GetByTestId("host").InnerTextAsync());
        Assert.Contains("\"build\": 19045", await page.GetByTestId("facts").InnerTextAsync());
    }

    [SkippableFact]
    public async Task AdminTag_AddedInTheConsole_IsInTheEmsApi_AndAudited_AndRemovable()
    {
        var page = await SignedInAsync();
        await page.GotoAsync($"{Ems.Url}/console/endpoints/{EmsConsoleFixture.BobUid}");

        await page.Locator("input[name='Assign.Tag']").FillAsync("quarantine");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add tag" }));

        Assert.Equal("Tag quarantine added.", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        Assert.Contains("assigned by an admin", await page.Locator("tr[data-tag=quarantine]").InnerTextAsync());
        Assert.Contains("quarantine", await ApiTagsAsync(EmsConsoleFixture.BobUid));
        await page.GotoAsync(Ems.Url + "/console/audit");
        Assert.Contains($"tag.assign {EmsConsoleFixture.BobUid} quarantine",
            Regex.Replace(await page.Locator("table[data-testid=audit] tbody tr").First.InnerTextAsync(), @"\s+", " "));

        await page.GotoAsync($"{Ems.Url}/console/endpoints/{EmsConsoleFixture.BobUid}");
        await page.SubmitAsync(page.Locator("tr[data-tag=quarantine] button"));
        Assert.DoesNotContain("quarantine", await ApiTagsAsync(EmsConsoleFixture.BobUid));
    }

    [SkippableFact]
    public async Task RuleEditor_PreviewShowsGainAndLossBeforeSaving_AndTheEndpointPageSaysWhy()
    {
        var page = await SignedInAsync();
        await page.GotoAsync(Ems.Url + "/console/tags");
        await page.Locator("input[name='Define.Name']").FillAsync("av_on");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Define" }));
        await page.GotoAsync(Ems.Url + "/console/tags/av_on");

        await page.GetByTestId("rule-input").FillAsync("av.running == true");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Preview" }));

        Assert.Equal([EmsConsoleFixture.AliceUid], await page.Locator("ul.gain li code").AllInnerTextsAsync());
        Assert.Equal(0, await page.Locator("ul.lose li").CountAsync());
        Assert.DoesNotContain("av_on", await ApiTagsAsync(EmsConsoleFixture.AliceUid));

        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }));
        Assert.Equal("av.running == true", await page.GetByTestId("rule").InnerTextAsync());
        Assert.Contains("av_on", await ApiTagsAsync(EmsConsoleFixture.AliceUid));
        Assert.DoesNotContain("av_on", await ApiTagsAsync(EmsConsoleFixture.BobUid));

        // A narrower rule: the preview names the endpoint that would lose the tag.
        await page.GetByTestId("rule-input").FillAsync("av.running == true and os.build >= 20000");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Preview" }));
        Assert.Equal([EmsConsoleFixture.AliceUid], await page.Locator("ul.lose li code").AllInnerTextsAsync());
        Assert.Contains("av_on", await ApiTagsAsync(EmsConsoleFixture.AliceUid));

        await page.GotoAsync($"{Ems.Url}/console/endpoints/{EmsConsoleFixture.AliceUid}");
        var why = Regex.Replace(await page.Locator("tr[data-tag=av_on]").InnerTextAsync(), @"\s+", " ");
        Assert.Contains("rule av.running == true matched: av.running = true", why);
    }

    [SkippableFact]
    public async Task RuleEditor_ABadRuleIsExplained_AndNothingIsSaved()
    {
        var page = await SignedInAsync();
        await page.GotoAsync(Ems.Url + "/console/tags/all_registered_clients?rule=" + Uri.EscapeDataString("av.running =="));

        Assert.StartsWith("The rule does not parse: column", await page.AlertAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }).CountAsync());
    }

    [SkippableFact]
    public async Task ReadOnly_SeesNoChangeForms_AndAPostWithAValidTokenIsRefused()
    {
        var page = await SignedInAsync(EmsConsoleFixture.ReaderName, EmsConsoleFixture.ReaderPassword);
        await page.GotoAsync($"{Ems.Url}/console/endpoints/{EmsConsoleFixture.AliceUid}");
        Assert.Equal("auditor (read-only)", await page.GetByTestId("who").InnerTextAsync());
        Assert.Equal(0, await page.Locator("input[name='Assign.Tag']").CountAsync());

        // The form the page did not show, posted anyway with the reader's session and a valid token.
        using var http = await PlainHttpAsAsync(page);
        var token = await AntiforgeryTokenAsync(http, $"/console/endpoints/{EmsConsoleFixture.AliceUid}");
        using var response = await http.PostFormAsync($"/console/endpoints/{EmsConsoleFixture.AliceUid}",
            ("_handler", "assign"), ("__RequestVerificationToken", token), ("Assign.Tag", "reader_was_here"));

        // Refused twice over: the page has no such form for a reader (400), and the handler checks the role (403).
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden });
        Assert.DoesNotContain("reader_was_here", await ApiTagsAsync(EmsConsoleFixture.AliceUid));
    }

    [SkippableFact]
    public async Task ChangeWithoutAntiforgeryToken_IsRefused_EvenWithTheSession()
    {
        var page = await SignedInAsync();
        using var http = await PlainHttpAsAsync(page);
        var path = $"/console/endpoints/{EmsConsoleFixture.AliceUid}";

        using var response = await http.PostFormAsync(path, ("_handler", "assign"), ("Assign.Tag", "csrf_tag"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("csrf_tag", await ApiTagsAsync(EmsConsoleFixture.AliceUid));
        // The same post with the page's token goes through: the token, nothing else, made the difference.
        using var withToken = await http.PostFormAsync(path,
            ("_handler", "assign"), ("__RequestVerificationToken", await AntiforgeryTokenAsync(http, path)), ("Assign.Tag", "csrf_tag"));
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Contains("csrf_tag", await ApiTagsAsync(EmsConsoleFixture.AliceUid));
    }

    [SkippableFact]
    public async Task MarkupInAHostName_IsShownAsText()
    {
        var page = await SignedInAsync();

        await page.GotoAsync($"{Ems.Url}/console/endpoints/{EmsConsoleFixture.HostileUid}");
        Assert.Equal(EmsConsoleFixture.HostileHost, await page.GetByTestId("host").InnerTextAsync());
        await page.GotoAsync($"{Ems.Url}/console/endpoints?q=mallory");

        Assert.Equal(0, await page.Locator("main script, main img").CountAsync());
        Assert.Contains(EmsConsoleFixture.HostileHost, await page.Locator("table[data-testid=endpoints]").InnerTextAsync());
        Assert.NotEqual("owned", await page.TitleAsync());
    }

    [SkippableFact]
    public async Task Invitation_CreatedShowsItsCodeOnce_AfterARedirect_AndCanBeRevoked()
    {
        var page = await SignedInAsync();
        await page.GotoAsync(Ems.Url + "/console/invitations");
        var before = await page.Locator("table[data-testid=invites] tbody tr").CountAsync();

        var shown = await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Create" }));
        var code = await page.GetByTestId("invite-code").InnerTextAsync();
        Assert.StartsWith("pgi_", code);
        Assert.Equal(before + 1, await page.Locator("table[data-testid=invites] tbody tr").CountAsync());
        // Post/Redirect/Get: the code arrives on a GET after a redirect, so a reload repeats only that GET,
        // which shows the code no more and creates no second invitation.
        Assert.Equal("POST", shown!.Request.RedirectedFrom?.Method);
        Assert.Equal("GET", shown.Request.Method);
        await page.ReloadAsync();
        Assert.Equal(0, await page.GetByTestId("invite-code").CountAsync());
        Assert.Equal(before + 1, await page.Locator("table[data-testid=invites] tbody tr").CountAsync());
        Assert.DoesNotContain(code, await page.ContentAsync());

        await page.SubmitAsync(page.Locator("table[data-testid=invites] tbody tr").Last.GetByRole(AriaRole.Button, new() { Name = "Revoke" }));
        Assert.Equal(before, await page.Locator("table[data-testid=invites] tbody tr").CountAsync());
    }

    [SkippableFact]
    public async Task TokenSettings_SavedInTheConsole_AreTheEmsSettings()
    {
        var page = await SignedInAsync();
        await page.GotoAsync(Ems.Url + "/console/token");

        await page.Locator("input[name='Token.Lifetime']").FillAsync("7200");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save" }));

        Assert.Equal("Token settings saved.", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        using var json = await Ems.AdminApiAsync("/api/v1/admin/settings/token");
        Assert.Equal(7200, json.RootElement.GetProperty("lifetime").GetInt32());
    }

    private async Task<PlainHttp> PlainHttpAsAsync(IPage page)
    {
        var http = new PlainHttp(Ems.Url);
        foreach (var c in await page.Context.CookiesAsync())
            http.Cookies.Add(new Uri(Ems.Url), new System.Net.Cookie(c.Name, c.Value, "/"));
        return http;
    }

    private static async Task<string> AntiforgeryTokenAsync(PlainHttp http, string path)
    {
        using var response = await http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        return TokenInput().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on " + path);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
