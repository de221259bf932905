// The EMS console's Remote Access profiles page in Chromium: a profile set in the form is the one
// `pgate ems profile list` reads from the EMS's data; a bad tag is refused with one line; remove.
using Microsoft.Playwright;
using PostureGate.Web.Tests.Browser;

namespace PostureGate.Web.Tests.Ems;

public sealed partial class EmsConsoleTests
{
    [SkippableFact]
    public async Task Profile_SetInTheConsole_IsTheEmsProfile_ABadTagIsRefused_AndItCanBeRemoved()
    {
        var page = await SignedInAsync();
        await page.GotoAsync(Ems.Url + "/console/profiles");

        await page.Locator("input[name='Set.Name']").FillAsync("ph1_console");
        await page.Locator("input[name='Set.Gateway']").FillAsync("vpn.example.net");
        await page.Locator("input[name='Set.Tags']").FillAsync("Low, Medium");
        await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save" }));
        Assert.Equal("Profile ph1_console saved.", await page.Locator("[role=status]").InnerTextAsync());
        Assert.Contains("ph1_console\tvpn.example.net\tLow,Medium", await PgateRun.RunAsync("ems", "profile", "list", "--data", Ems.DataDirectory));
        Assert.Contains("vpn.example.net", await page.Locator("table[data-testid=profiles]").InnerTextAsync());

        await page.Locator("input[name='Set.Name']").FillAsync("ph1_console");
        await page.Locator("input[name='Set.Gateway']").FillAsync("other.example.net");
        await page.Locator("input[name='Set.Tags']").FillAsync("Low <script>");
        var refused = await page.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save" }));
        Assert.Equal(400, refused!.Status);
        Assert.Equal("'<script>' is not a valid tag name", await page.AlertAsync());
        Assert.Contains("ph1_console\tvpn.example.net\tLow,Medium", await PgateRun.RunAsync("ems", "profile", "list", "--data", Ems.DataDirectory));

        var row = page.Locator("table[data-testid=profiles] tbody tr", new() { HasText = "ph1_console" });
        await page.SubmitAsync(row.GetByRole(AriaRole.Button, new() { Name = "Remove" }));
        Assert.Equal("Profile ph1_console removed.", await page.Locator("[role=status]").InnerTextAsync());
        Assert.DoesNotContain("ph1_console", await PgateRun.RunAsync("ems", "profile", "list", "--data", Ems.DataDirectory));
    }
}
