// The console's first admin (issue 15): made at the first start with its password only in an owner-only
// file, not made again, not made with the console off; the console answers under /console.
using System.Net;
using PostureGate.Ems.WebConsole;

namespace PostureGate.Ems.Tests.Api;

public sealed class ConsoleStartTests
{
    [Fact]
    public async Task FirstStart_MakesAdmin_WithItsPasswordInAnOwnerOnlyFile_AndOnlyOnce()
    {
        using var data = new TempDirectory();
        string file;
        await using (var ems = await EmsServer.StartAsync(TestEms.Options(data.Path)))
        {
            file = Assert.IsType<string>(ems.ConsoleAdminFile);
            Assert.Equal(ems.Url + "/console", ems.ConsoleUrl);
            var text = File.ReadAllText(file);
            var password = text.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..];
            Assert.True(PostureGate.Web.Accounts.AdminPasswords.Verify(ems.Store.FindAdmin(FirstAdmin.Name), password));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var before = File.ReadAllText(file);
        await using (var again = await EmsServer.StartAsync(TestEms.Options(data.Path)))
        {
            Assert.Null(again.ConsoleAdminFile);
            Assert.Single(again.Store.ListAdmins());
        }
        Assert.Equal(before, File.ReadAllText(file));
    }

    [Fact]
    public async Task ConsoleOff_MakesNoAdmin_AndServesNoConsole()
    {
        using var data = new TempDirectory();
        var options = TestEms.Options(data.Path);
        options.Console = false;
        await using var ems = await EmsServer.StartAsync(options);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(ems.Url) };

        using var response = await client.GetAsync("/console/signin");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(ems.ConsoleUrl);
        Assert.Null(ems.ConsoleAdminFile);
        Assert.Empty(ems.Store.ListAdmins());
        Assert.False(File.Exists(Path.Combine(data.Path, FirstAdmin.FileName)));
    }
}
