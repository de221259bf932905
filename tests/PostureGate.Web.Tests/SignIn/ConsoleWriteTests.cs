// Changes through the console base: read-write may, read-only may not, a post without the antiforgery
// token is refused before the page runs (CSRF), and what a URL carries is shown as text (XSS).
using System.Net;
using PostureGate.Web.Tests.Browser;
using PostureGate.Web.Tests.Host;

namespace PostureGate.Web.Tests.SignIn;

public sealed class ConsoleWriteTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static async Task SetValueAsync(Microsoft.Playwright.IPage page, string text)
    {
        await page.Locator("input[name='Form.Text']").FillAsync(text);
        await page.SubmitAsync(page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Set" }));
    }

    [SkippableFact]
    public async Task ReadWrite_ChangesTheValue_AndTheChangeIsAudited()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();
        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password);

        await SetValueAsync(page, "changed");

        Assert.Equal("changed", host.Value.Text);
        Assert.Equal("changed", await page.GetByTestId("value").InnerTextAsync());
        Assert.Contains(host.Audit.Recent(10), e => e is { Action: "value.set", Actor: "writer", Detail: "changed" });
    }

    [SkippableFact]
    public async Task ReadOnly_IsRefused_AndNothingChanges()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();
        await page.SignInAsync(host.Url, ConsoleTestHost.ReaderName, ConsoleTestHost.Password);

        await page.Locator("input[name='Form.Text']").FillAsync("changed");
        var response = await page.SubmitAsync(page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Set" }));

        Assert.Equal(403, response!.Status);
        Assert.Equal("Your role is read-only: changes need a read-write admin.", await page.AlertAsync());
        Assert.Equal("initial", host.Value.Text);
        Assert.DoesNotContain(host.Audit.Recent(10), e => e.Action == "value.set");
    }

    [Fact]
    public async Task SignInPost_WithoutAntiforgeryToken_IsRefused()
    {
        await using var host = await ConsoleTestHost.StartAsync();
        using var http = new PlainHttp(host.Url);

        using var response = await http.PostFormAsync(ConsolePaths.Session,
            ("user", ConsoleTestHost.WriterName), ("password", ConsoleTestHost.Password), ("returnUrl", "/console"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(http.Cookies.GetAllCookies(), c => c.Name == ConsoleAuthentication.CookieName);
        Assert.DoesNotContain(host.Audit.Recent(10), e => e.Action == "signin");
    }

    [SkippableFact]
    public async Task PageForm_WithTheSessionCookieButNoAntiforgeryToken_IsRefused()
    {
        // The browser signs in; a forged cross-site post would carry its cookie but not the token.
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();
        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password);
        using var http = new PlainHttp(host.Url);
        foreach (var c in await page.Context.CookiesAsync())
            http.Cookies.Add(new Uri(host.Url), new Cookie(c.Name, c.Value, "/"));

        using var before = await http.GetAsync(ConsolePaths.Home);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        using var response = await http.PostFormAsync(ConsolePaths.Home, ("_handler", "set"), ("Form.Text", "forged"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("initial", host.Value.Text);
    }

    [SkippableFact]
    public async Task QueryText_IsShownAsText_NeverAsMarkup()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();
        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password);

        const string hostile = "<script>document.title='owned'</script><img src=x>";
        await page.GotoAsync(host.Url + "/console?echo=" + Uri.EscapeDataString(hostile));

        Assert.Equal(hostile, await page.GetByTestId("echo").InnerTextAsync());
        Assert.Equal(0, await page.Locator("main script, main img").CountAsync());
    }
}
