// Screenshots for docs/console.md, taken only when asked for: PG_CONSOLE_SCREENSHOTS=DIR (e.g. docs/console).
using Microsoft.Playwright;

namespace PostureGate.Web.Tests.Gateway;

internal static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PG_CONSOLE_SCREENSHOTS") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }
}
