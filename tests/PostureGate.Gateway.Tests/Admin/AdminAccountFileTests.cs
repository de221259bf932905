// The gateway's console admins on disk: owner-only, hashes only, read back as written; a file open
// to others or edited into names the console would never make is refused with one line; the first
// admin's password only in its own owner-only file; a running gateway's copy follows changes another
// process (`pgate gateway admin`) makes, and keeps its accounts when the file turns bad.
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

    [Fact]
    public void ARunningCopySeesAccountsRemovedAndChangedByAnotherProcess()
    {
        var cli = AdminAccountFile.Open(_dir.FullName);
        cli.Add(AdminPasswords.Create("reader", "reader-password-x", AdminRole.ReadOnly, DateTimeOffset.UnixEpoch));
        cli.Add(AdminPasswords.Create("writer", "writer-password-x", AdminRole.ReadWrite, DateTimeOffset.UnixEpoch));
        var gateway = AdminAccountFile.Open(_dir.FullName);
        var before = gateway.Find("writer")!;

        // The same length and, most likely, the same modification time as the file the gateway read.
        var other = AdminAccountFile.Open(_dir.FullName);
        Assert.True(other.Update(before with { Role = AdminRole.ReadOnly, Stamp = AdminPasswords.NewStamp() }));
        Assert.True(other.Remove("reader"));

        Assert.Null(gateway.Find("reader"));
        var after = gateway.Find("writer")!;
        Assert.Equal(AdminRole.ReadOnly, after.Role);
        Assert.NotEqual(before.Stamp, after.Stamp);
        Assert.Equal(["writer"], gateway.List().Select(a => a.Name));
    }

    [Fact]
    public void AChangeIsMadeToWhatIsOnDisk_KeepingAnotherProcesssChange()
    {
        var gateway = AdminAccountFile.Open(_dir.FullName);
        AdminAccountFile.Open(_dir.FullName).Add(AdminPasswords.Create("alice", "alice-password-x", AdminRole.ReadOnly, DateTimeOffset.UnixEpoch));

        Assert.True(gateway.Add(AdminPasswords.Create("bob", "bob-password-xx", AdminRole.ReadOnly, DateTimeOffset.UnixEpoch)));

        Assert.Equal(["alice", "bob"], AdminAccountFile.Open(_dir.FullName).List().Select(a => a.Name));
    }

    [Fact]
    public void AFileTurnedBadIsRefusedWithOneWarning_TheAccountsReadBeforeStay_UntilItIsFixed()
    {
        AdminAccountFile.Open(_dir.FullName).Add(AdminPasswords.Create("a", "password-password", AdminRole.ReadWrite, DateTimeOffset.UnixEpoch));
        var good = File.ReadAllBytes(FilePath);
        var warnings = new List<string>();
        var gateway = AdminAccountFile.Open(_dir.FullName, warnings.Add);

        File.WriteAllText(FilePath, "not json");
        Assert.NotNull(gateway.Find("a"));
        Assert.NotNull(gateway.Find("a"));
        var warning = Assert.Single(warnings);
        Assert.Contains(FilePath + ": not a PostureGate admin account file", warning, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => gateway.Add(AdminPasswords.Create("b", "password-password", AdminRole.ReadWrite, DateTimeOffset.UnixEpoch)));
        Assert.Equal("not json", File.ReadAllText(FilePath));

        File.WriteAllBytes(FilePath, good);
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.NotNull(gateway.Find("a"));
        Assert.Contains("open to other users", warnings[^1], StringComparison.Ordinal);

        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AdminAccountFile.Open(_dir.FullName).Remove("a");
        Assert.Null(gateway.Find("a"));
    }

    [Fact]
    public void RefreshReadsTheFileAgain_AndAFileRemovedLeavesNoAccount()
    {
        AdminAccountFile.Open(_dir.FullName).Add(AdminPasswords.Create("a", "password-password", AdminRole.ReadWrite, DateTimeOffset.UnixEpoch));
        var gateway = AdminAccountFile.Open(_dir.FullName);
        File.Delete(FilePath);

        gateway.Refresh();

        Assert.Empty(gateway.List());
        Assert.Null(gateway.Find("a"));
    }
}
