// Which returnUrl values sign-in follows: console paths only (open redirect, CWE-601).
using PostureGate.Web.SignIn;

namespace PostureGate.Web.Tests.SignIn;

public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/console")]
    [InlineData("/console/endpoints?q=host")]
    [InlineData("/console?echo=1")]
    public void ConsolePaths_AreFollowed(string url) => Assert.Equal(url, LocalReturnUrl.OrHome(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/console")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/console\\..\\api")]
    [InlineData("/console/\r\nSet-Cookie: x=y")]
    [InlineData("/consoleevil")]
    [InlineData("/api/v1/endpoints")]
    [InlineData("console")]
    public void Others_GoHome(string? url) => Assert.Equal(ConsolePaths.Home, LocalReturnUrl.OrHome(url));
}
