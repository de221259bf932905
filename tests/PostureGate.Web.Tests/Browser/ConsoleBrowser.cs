// Steps every console test takes in the browser: sign in through the form, read the session cookie.
using Microsoft.Playwright;

namespace PostureGate.Web.Tests.Browser;

public static class ConsoleBrowser
{
    /// <summary>Opens the sign-in page (with an optional returnUrl), fills it and submits; returns when the next page loaded.</summary>
    public static async Task SignInAsync(this IPage page, string baseUrl, string user, string password, string? returnUrl = null)
    {
        var url = baseUrl + ConsolePaths.SignIn + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await page.GotoAsync(url);
        await page.Locator("input[name=user]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync(password);
        await page.SubmitAsync(page.Locator("section.signin button[type=submit]"));
    }

    /// <summary>Clicks a form's submit button and waits for the page it leads to (no script: a real navigation).</summary>
    public static async Task<IResponse?> SubmitAsync(this IPage page, ILocator button)
    {
        // Obsolete only for pages whose scripts navigate on their own; these pages have none.
#pragma warning disable CS0612
        return await page.RunAndWaitForNavigationAsync(() => button.ClickAsync());
#pragma warning restore CS0612
    }

    public static async Task<string?> SessionCookieAsync(this IPage page)
        => (await page.Context.CookiesAsync()).FirstOrDefault(c => c.Name == ConsoleAuthentication.CookieName)?.Value;

    /// <summary>The text of the alert line, or null when the page has none.</summary>
    public static async Task<string?> AlertAsync(this IPage page)
    {
        var alert = page.Locator("[role=alert]");
        return await alert.CountAsync() == 0 ? null : await alert.First.InnerTextAsync();
    }
}
