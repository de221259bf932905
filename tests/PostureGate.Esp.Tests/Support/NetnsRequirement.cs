namespace PostureGate.Esp.Tests.Support;

/// <summary>
/// Tests that need root and network namespaces skip without them, unless PG_REQUIRE_NETNS=1
/// (CI on a privileged runner), where a missing privilege is a failure.
/// </summary>
public static class NetnsRequirement
{
    public static void SkipUnlessAvailable()
    {
        var required = Environment.GetEnvironmentVariable("PG_REQUIRE_NETNS") == "1";
        var available = OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess && File.Exists("/dev/net/tun");
        if (!available && required)
            Assert.Fail("PG_REQUIRE_NETNS=1 but this process is not root on Linux with /dev/net/tun");
        Skip.IfNot(available, "needs root (CAP_NET_ADMIN), Linux and /dev/net/tun");
    }

    public static string UniqueName(string prefix) =>
        $"{prefix}{Environment.ProcessId % 100000}{Random.Shared.Next(1000):D3}";

    public static void Run(string file, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(start)!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {error}");
    }
}
