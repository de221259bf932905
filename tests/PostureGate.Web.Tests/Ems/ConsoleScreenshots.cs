// Every EMS console page renders in Chromium and is captured as a PNG: into PG_CONSOLE_SCREENSHOTS=DIR when
// set (how docs/console.md's pictures are made), else into a temporary directory removed afterwards.
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
        BrowserRequirements.EnsureOrSkip();
        var asked = Environment.GetEnvironmentVariable(DirectoryVariable);
        var dir = string.IsNullOrEmpty(asked) ? Directory.CreateTempSubdirectory("pg-console-shots-").FullName : asked;
        Directory.CreateDirectory(dir);
        try
        {
            await TakeAsync(dir);
            foreach (var name in Pages)
            {
                var png = await File.ReadAllBytesAsync(Path.Combine(dir, name + ".png"));
                // PNG signature (RFC 2083 §3.1) and more than an empty image.
                Assert.True(png.Length > 2048 && png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{name}.png is not a page's picture");
            }
        }
        finally
        {
            if (string.IsNullOrEmpty(asked))
                Directory.Delete(dir, recursive: true);
        }
    }

    private static readonly string[] Pages = ["signin", "endpoints", "endpoint", "tags", "tag-rule-preview", "invitations", "token", "audit", "profiles"];

    private static async Task TakeAsync(string dir)
    {
        var fixture = new EmsConsoleFixture();
        await using var stop = new AsyncStop(fixture);
        await fixture.InitializeAsync();
        var ems = fixture.Ems;
        var page = await fixture.Chromium.NewPageAsync();
        async Task GoAsync(string url)
        {
            var response = await page.GotoAsync(url);
            Assert.True(response is { Ok: true }, $"{url} answered {response?.Status}");
        }
        async Task ShotAsync(string name) => await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });

        await GoAsync(ems.Url + "/console/signin");
        await ShotAsync("signin");
        await page.SignInAsync(ems.Url, "admin", ems.AdminPassword);
        await GoAsync(ems.Url + "/console/tags");
        await page.Locator("input[name='Define.Name']").FillAsync("av_running");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Define" }));
        await GoAsync(ems.Url + "/console/tags/av_running?rule=" + Uri.EscapeDataString("av.running == true"));
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save rule" }));
        await GoAsync($"{ems.Url}/console/endpoints/{EmsConsoleFixture.BobUid}");
        await page.Locator("input[name='Assign.Tag']").FillAsync("quarantine");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add tag" }));

        await GoAsync(ems.Url + "/console");
        await ShotAsync("endpoints");
        await GoAsync($"{ems.Url}/console/endpoints/{EmsConsoleFixture.AliceUid}");
        await ShotAsync("endpoint");
        await GoAsync(ems.Url + "/console/tags");
        await ShotAsync("tags");
        await GoAsync(ems.Url + "/console/tags/av_running?rule=" + Uri.EscapeDataString("os.build < 19000"));
        await ShotAsync("tag-rule-preview");
        await GoAsync(ems.Url + "/console/invitations");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Create" }));
        await ShotAsync("invitations");
        await GoAsync(ems.Url + "/console/token");
        await ShotAsync("token");
        await GoAsync(ems.Url + "/console/audit");
        await ShotAsync("audit");
        await GoAsync(ems.Url + "/console/profiles");
        await ShotAsync("profiles");
    }
}

internal sealed class AsyncStop(IAsyncLifetime lifetime) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await lifetime.DisposeAsync();
}
