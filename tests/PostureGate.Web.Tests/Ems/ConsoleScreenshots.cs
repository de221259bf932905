// Screenshots of each EMS console page for docs/console.md. Opt-in: with PG_CONSOLE_SCREENSHOTS=DIR
// (e.g. docs/console) the pages are saved there as PNG; without it the test does nothing but say so.
//   PG_CONSOLE_SCREENSHOTS=$PWD/docs/console dotnet test tests/PostureGate.Web.Tests --filter ConsoleScreenshots
using Microsoft.Playwright;
using PostureGate.Web.Tests.Browser;

namespace PostureGate.Web.Tests.Ems;

public sealed class ConsoleScreenshots
{
    public const string DirectoryVariable = "PG_CONSOLE_SCREENSHOTS";

    [SkippableFact]
    public async Task EveryPage()
    {
        var dir = Environment.GetEnvironmentVariable(DirectoryVariable);
        Skip.If(string.IsNullOrEmpty(dir), $"set {DirectoryVariable}=DIR to write the console's screenshots there");
        Directory.CreateDirectory(dir!);
        // Its own EMS, started only when asked for: a plain test run does not pay for it.
        var fixture = new EmsConsoleFixture();
        await using var stop = new AsyncStop(fixture);
        await fixture.InitializeAsync();
        var ems = fixture.Ems;
        var page = await fixture.Chromium.NewPageAsync();
        async Task ShotAsync(string name) => await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir!, name + ".png"), FullPage = true });

        await page.GotoAsync(ems.Url + "/console/signin");
        await ShotAsync("signin");
        await page.SignInAsync(ems.Url, "admin", ems.AdminPassword);
        await page.GotoAsync(ems.Url + "/console/tags");
        await page.Locator("input[name='Define.Name']").FillAsync("av_running");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Define" }));
        await page.GotoAsync(ems.Url + "/console/tags/av_running?rule=" + Uri.EscapeDataString("av.running == true"));
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }));
        await page.GotoAsync($"{ems.Url}/console/endpoints/{EmsConsoleFixture.BobUid}");
        await page.Locator("input[name='Assign.Tag']").FillAsync("quarantine");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add tag" }));

        await page.GotoAsync(ems.Url + "/console");
        await ShotAsync("endpoints");
        await page.GotoAsync($"{ems.Url}/console/endpoints/{EmsConsoleFixture.AliceUid}");
        await ShotAsync("endpoint");
        await page.GotoAsync(ems.Url + "/console/tags");
        await ShotAsync("tags");
        await page.GotoAsync(ems.Url + "/console/tags/av_running?rule=" + Uri.EscapeDataString("os.build < 19000"));
        await ShotAsync("tag-rule-preview");
        await page.GotoAsync(ems.Url + "/console/invitations");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Create" }));
        await ShotAsync("invitations");
        await page.GotoAsync(ems.Url + "/console/token");
        await ShotAsync("token");
        await page.GotoAsync(ems.Url + "/console/audit");
        await ShotAsync("audit");
    }
}

internal sealed class AsyncStop(IAsyncLifetime lifetime) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await lifetime.DisposeAsync();
}
