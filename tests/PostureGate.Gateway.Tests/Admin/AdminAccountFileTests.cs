// The gateway's console admins on disk: owner-only, hashes only, read back as written; a file open
// to others or edited into names the console would never make is refused with one line; the first
// admin's password only in its own owner-only file.
using PostureGate.Gateway.Admin;
using PostureGate.Web.Accounts;

namespace PostureGate.Gateway.Tests.Admin;

public sealed class AdminAccountFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("pg-gw-admins");

    public void Dispose() => _dir.Delete(recursive: true);

    private string FilePath => Path.Combine(_dir.FullName, AdminAccountFile.FileName);

    [Fact]
    public void AccountsAreKeptOwnerOnlyAsHashesAndReadBack()
    {
        var accounts = AdminAccountFile.Open(_dir.FullName);
        Assert.True(accounts.Add(AdminPasswords.Create("reader", "reader-password-x", AdminRole.ReadOnly, DateTimeOffset.UnixEpoch)));
        Assert.False(accounts.Add(AdminPasswords.Create("reader", "another-password", AdminRole.ReadWrite, DateTimeOffset.UnixEpoch)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.DoesNotContain("reader-password-x", File.ReadAllText(FilePath), StringComparison.Ordinal);

        var again = AdminAccountFile.Open(_dir.FullName).Find("reader")!;
        Assert.Equal(AdminRole.ReadOnly, again.Role);
        Assert.True(AdminPasswords.Verify(again, "reader-password-x"));
    }

    [Fact]
    public void AFileOpenToOthersIsRefused()
    {
        AdminAccountFile.Open(_dir.FullName).Add(AdminPasswords.Create("a", "password-password", AdminRole.ReadWrite, DateTimeOffset.UnixEpoch));
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var e = Assert.Throws<IOException>(() => AdminAccountFile.Open(_dir.FullName));
        Assert.Contains("open to other users", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""[{"name":"Admin","password_hash":"x","role":"read-write","stamp":"s","created":"2026-01-01T00:00:00Z"}]""")]
    public void AFileThatIsNotOursIsRefusedWithOneLine(string content)
    {
        File.WriteAllText(FilePath, content);
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<IOException>(() => AdminAccountFile.Open(_dir.FullName));
        Assert.StartsWith(FilePath + ": not a PostureGate admin account file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFirstAdminIsMadeOnceWithItsPasswordOnlyInAnOwnerOnlyFile()
    {
        var accounts = AdminAccountFile.Open(_dir.FullName);
        var file = FirstAdmin.EnsureExists(accounts, _dir.FullName, TimeProvider.System);
        Assert.NotNull(file);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file!));
        var password = File.ReadAllText(file!).Trim();
        Assert.True(AdminPasswords.Verify(accounts.Find(FirstAdmin.Name), password));
        Assert.Equal(AdminRole.ReadWrite, accounts.Find(FirstAdmin.Name)!.Role);
        Assert.Null(FirstAdmin.EnsureExists(AdminAccountFile.Open(_dir.FullName), _dir.FullName, TimeProvider.System));
    }
}
