// One normal form per admin name: the key for look-up and lock-out alike.
using PostureGate.Web.Accounts;

namespace PostureGate.Web.Tests.Accounts;

public sealed class AdminUserNameTests
{
    [Theory]
    [InlineData("admin", "admin")]
    [InlineData("ADMIN", "admin")]
    [InlineData("  Admin ", "admin")]
    [InlineData("ops.team-1@example", "ops.team-1@example")]
    public void Normalize_FoldsCaseAndSpace(string text, string expected) => Assert.Equal(expected, AdminUserName.Normalize(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a b")]
    [InlineData("ad\nmin")]
    [InlineData("<script>")]
    [InlineData("admın")] // dotless i: no look-alike names
    public void Normalize_RefusesOtherText(string? text) => Assert.Null(AdminUserName.Normalize(text));

    [Fact]
    public void Normalize_RefusesOverlongNames() => Assert.Null(AdminUserName.Normalize(new string('a', AdminUserName.MaxLength + 1)));
}
