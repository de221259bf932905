// What the browser tests need from the machine: Debian's chromium. Missing skips on a developer's box,
// fails with PG_REQUIRE_NETNS=1 (CI): a green run must mean the browser tests ran.
namespace PostureGate.Web.Tests.Browser;

public static class BrowserRequirements
{
    public const string RequireVariable = "PG_REQUIRE_NETNS";
    public const string Chromium = "/usr/bin/chromium";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    public static void EnsureOrSkip()
    {
        if (File.Exists(Chromium))
            return;
        var message = $"{Chromium} missing (Debian package chromium; tests/interop/harness/install-deps.sh installs it)";
        if (Required)
            throw new InvalidOperationException($"{RequireVariable}=1 forbids skipping: {message}");
        Skip.If(true, message);
    }
}
