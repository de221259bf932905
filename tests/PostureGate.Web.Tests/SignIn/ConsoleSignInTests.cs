// The console base in Chromium: sign-in, refusal, lock-out (per name whatever its case, per source),
// returnUrl kept inside the console, a fresh session cookie at sign-in, sessions ended by a password change.
using PostureGate.Web.Accounts;
using PostureGate.Web.Tests.Browser;
using PostureGate.Web.Tests.Host;

namespace PostureGate.Web.Tests.SignIn;

public sealed class ConsoleSignInTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [SkippableFact]
    public async Task SignIn_WithTheRightPassword_ShowsTheAdminAndRole()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();

        await page.GotoAsync(host.Url + ConsolePaths.Home);
        Assert.StartsWith(host.Url + ConsolePaths.SignIn, page.Url);
        await page.SignInAsync(host.Url, "Writer", ConsoleTestHost.Password);

        Assert.Equal(host.Url + ConsolePaths.Home, page.Url);
        Assert.Equal("writer (read-write)", await page.GetByTestId("who").InnerTextAsync());
        Assert.Contains(host.Audit.Recent(10), e => e is { Action: "signin", Actor: "writer" });
    }

    [SkippableFact]
    public async Task SignIn_WithAWrongPassword_IsRefusedWithoutASession()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();

        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, "not the password");

        Assert.StartsWith(host.Url + ConsolePaths.SignIn, page.Url);
        Assert.Equal("User name or password is wrong.", await page.AlertAsync());
        Assert.Null(await page.SessionCookieAsync());
        Assert.Contains(host.Audit.Recent(10), e => e is { Action: "signin.failed", Actor: "writer" });
    }

    [SkippableFact]
    public async Task Lockout_CountsEveryCaseOfTheName_AndThenRefusesTheRightPassword()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync(lockoutThreshold: 3);

        // Three guesses, each with the name spelled differently: one account, one counter.
        foreach (var spelling in new[] { "writer", "WRITER", " Writer " })
            await page.SignInAsync(host.Url, spelling, "guess");
        Assert.Equal("Too many failed sign-ins: try again later.", await page.AlertAsync());

        await page.SignInAsync(host.Url, "wRiTeR", ConsoleTestHost.Password);
        Assert.Equal("Too many failed sign-ins: try again later.", await page.AlertAsync());
        Assert.Null(await page.SessionCookieAsync());

        // The other account is not locked by guesses at this one.
        await page.SignInAsync(host.Url, ConsoleTestHost.ReaderName, ConsoleTestHost.Password);
        Assert.Equal("reader (read-only)", await page.GetByTestId("who").InnerTextAsync());
    }

    [SkippableFact]
    public async Task Lockout_PerSource_StopsGuessesSpreadOverManyNames()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync(lockoutThreshold: 100, sourceThreshold: 4);

        foreach (var name in new[] { "alice", "bob", "carol", "dave" })
            await page.SignInAsync(host.Url, name, "guess");
        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password);

        Assert.Equal("Too many failed sign-ins: try again later.", await page.AlertAsync());
        Assert.Null(await page.SessionCookieAsync());
    }

    [SkippableTheory]
    [InlineData("//evil.example/console")]
    [InlineData("/\\evil.example/console")]
    [InlineData("https://evil.example/console")]
    [InlineData("/api/v1/endpoints")]
    public async Task ReturnUrl_OutsideTheConsole_LandsOnTheHomePage(string returnUrl)
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();

        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password, returnUrl);

        Assert.Equal(host.Url + ConsolePaths.Home, page.Url);
    }

    [SkippableFact]
    public async Task ReturnUrl_InsideTheConsole_IsFollowed()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();

        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password, "/console?echo=back");

        Assert.Equal(host.Url + "/console?echo=back", page.Url);
        Assert.Equal("back", await page.GetByTestId("echo").InnerTextAsync());
    }

    [SkippableFact]
    public async Task SessionFixation_APlantedCookieIsReplacedAtSignIn()
    {
        var attacker = await chromium.NewPageAsync();
        var victim = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();
        await attacker.SignInAsync(host.Url, ConsoleTestHost.ReaderName, ConsoleTestHost.Password);
        var planted = (await attacker.Context.CookiesAsync()).Single(c => c.Name == ConsoleAuthentication.CookieName);
        await victim.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie
        {
            Name = planted.Name, Value = planted.Value, Domain = planted.Domain, Path = planted.Path, Secure = true, HttpOnly = true,
        }]);

        await victim.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password);

        Assert.Equal("writer (read-write)", await victim.GetByTestId("who").InnerTextAsync());
        Assert.NotEqual(planted.Value, await victim.SessionCookieAsync());
        // The attacker's own cookie gained nothing from the victim's sign-in.
        await attacker.ReloadAsync();
        Assert.Equal("reader (read-only)", await attacker.GetByTestId("who").InnerTextAsync());
    }

    [SkippableFact]
    public async Task PasswordChange_EndsTheSessionsSignedInBefore()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();
        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password);

        var account = host.Accounts.Find(ConsoleTestHost.WriterName)!;
        Assert.True(host.Accounts.Update(account with { PasswordHash = AdminPasswords.Hash("another password"), Stamp = AdminPasswords.NewStamp() }));
        await page.ReloadAsync();

        Assert.StartsWith(host.Url + ConsolePaths.SignIn, page.Url);
    }

    [SkippableFact]
    public async Task SignOut_EndsTheSession()
    {
        var page = await chromium.NewPageAsync();
        await using var host = await ConsoleTestHost.StartAsync();
        await page.SignInAsync(host.Url, ConsoleTestHost.WriterName, ConsoleTestHost.Password);

        await page.SubmitAsync(page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Sign out" }));
        await page.GotoAsync(host.Url + ConsolePaths.Home);

        Assert.StartsWith(host.Url + ConsolePaths.SignIn, page.Url);
        Assert.Contains(host.Audit.Recent(10), e => e is { Action: "signout", Actor: "writer" });
    }
}
