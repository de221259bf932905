// Admin password hashes: PasswordHasher's format, verified only by the right password, salted per account.
using PostureGate.Web.Accounts;

namespace PostureGate.Web.Tests.Accounts;

public sealed class AdminPasswordsTests
{
    [Fact]
    public void Verify_TakesOnlyTheRightPassword()
    {
        var account = AdminPasswords.Create("admin", "correct horse battery", AdminRole.ReadWrite, DateTimeOffset.UnixEpoch);

        Assert.True(AdminPasswords.Verify(account, "correct horse battery"));
        Assert.False(AdminPasswords.Verify(account, "correct horse batterY"));
        Assert.False(AdminPasswords.Verify(null, "correct horse battery"));
        Assert.DoesNotContain("correct", account.PasswordHash);
    }

    [Fact]
    public void Hash_IsSaltedPerCall() => Assert.NotEqual(AdminPasswords.Hash("same password"), AdminPasswords.Hash("same password"));

    [Fact]
    public void Check_RefusesShortPasswords()
    {
        Assert.NotNull(AdminPasswords.Check("short"));
        Assert.Null(AdminPasswords.Check(AdminPasswords.RandomPassword()));
    }
}
