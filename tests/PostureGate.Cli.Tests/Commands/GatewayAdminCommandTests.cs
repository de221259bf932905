// `pgate gateway admin add|passwd|role|remove|list` run as a user runs it, against <data>/admins.json.
using System.Text.RegularExpressions;
using PostureGate.Gateway.Admin;
using PostureGate.Web.Accounts;

namespace PostureGate.Cli.Tests.Commands;

public sealed class GatewayAdminCommandTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("pg-gwadmin-");

    public void Dispose() => _data.Delete(recursive: true);

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var p = PgateProcess.Start(_data.FullName, ["gateway", "admin", .. args, "--data", _data.FullName]);
        return await p.ExitAsync();
    }

    private string PasswordFile(string password)
    {
        var path = Path.Combine(_data.FullName, "pw-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, password + "\n");
        return path;
    }

    private AdminAccount? Account(string name) => AdminAccountFile.Open(_data.FullName).Find(name);

    [Fact]
    public async Task AddPasswdRoleRemoveList_ChangeTheOwnerOnlyAccountFile()
    {
        var (exit, output) = await RunAsync("add", "Alice", "--role", "read-only");
        Assert.True(exit == 0, output);
        Assert.Contains("admin alice added (read-only)", output);
        var generated = Regex.Match(output, "password: (\\S+) \\(shown once\\)").Groups[1].Value;
        Assert.True(AdminPasswords.Verify(Account("alice"), generated), output);
        Assert.Equal(AdminRole.ReadOnly, Account("alice")!.Role);
        var file = Path.Combine(_data.FullName, AdminAccountFile.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.DoesNotContain(generated, File.ReadAllText(file));

        var stamp = Account("alice")!.Stamp;
        (exit, output) = await RunAsync("passwd", "alice", "--password-file", PasswordFile("correct-horse-battery-9"));
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("shown once", output);
        Assert.True(AdminPasswords.Verify(Account("alice"), "correct-horse-battery-9"));
        Assert.False(AdminPasswords.Verify(Account("alice"), generated));
        Assert.NotEqual(stamp, Account("alice")!.Stamp);

        (exit, output) = await RunAsync("role", "alice", "--role", "read-write");
        Assert.True(exit == 0, output);
        Assert.Equal(AdminRole.ReadWrite, Account("alice")!.Role);

        (exit, _) = await RunAsync("add", "bob", "--password-file", PasswordFile("another-good-password-7"));
        Assert.Equal(0, exit);
        (exit, output) = await RunAsync("list");
        Assert.Equal(0, exit);
        Assert.Contains("alice  read-write", output);
        Assert.Contains("bob  read-write", output);

        (exit, output) = await RunAsync("remove", "alice");
        Assert.True(exit == 0, output);
        Assert.Null(Account("alice"));
        Assert.NotNull(Account("bob"));
    }

    [Theory]
    [InlineData("Exists", new[] { "add", "bob" }, "admin bob exists")]
    [InlineData("BadName", new[] { "add", "bob smith" }, "admin name must be")]
    [InlineData("BadRole", new[] { "role", "bob", "--role", "root" }, "--role must be read-only or read-write")]
    [InlineData("NoSuchAdmin", new[] { "passwd", "carol" }, "no admin carol")]
    [InlineData("RemoveUnknown", new[] { "remove", "carol" }, "no admin carol")]
    [InlineData("MissingPasswordFile", new[] { "passwd", "bob", "--password-file", "/nonexistent/pw" }, "--password-file /nonexistent/pw")]
    public async Task Failures_ExitOne_WithOneLine_AndChangeNothing(string name, string[] args, string reason)
    {
        var (exit, output) = await RunAsync("add", "bob", "--password-file", PasswordFile("another-good-password-7"));
        Assert.True(exit == 0, output);
        var file = Path.Combine(_data.FullName, AdminAccountFile.FileName);
        var before = File.ReadAllBytes(file);

        (exit, output) = await RunAsync(args);
        Assert.True(exit == 1, name + ": " + output);
        Assert.Contains(reason, output);
        Assert.Single(output.Trim().Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(file));
    }

    [Fact]
    public async Task AWeakPasswordFromItsFile_IsRefused()
    {
        var (exit, output) = await RunAsync("add", "bob", "--password-file", PasswordFile("short"));
        Assert.Equal(1, exit);
        Assert.StartsWith("error: ", output);
        Assert.False(File.Exists(Path.Combine(_data.FullName, AdminAccountFile.FileName)));
    }

    [Fact]
    public async Task AnAccountFileOpenToOthers_IsRefused_AndLeftAlone()
    {
        var (exit, _) = await RunAsync("add", "bob", "--password-file", PasswordFile("another-good-password-7"));
        Assert.Equal(0, exit);
        var file = Path.Combine(_data.FullName, AdminAccountFile.FileName);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var before = File.ReadAllBytes(file);

        string output;
        (exit, output) = await RunAsync("add", "carol");
        Assert.Equal(1, exit);
        Assert.Contains("is open to other users; 'chmod 600' it", output);
        Assert.Equal(before, File.ReadAllBytes(file));
    }
}
