namespace PostureGate.Interop.Tests.Lab;

/// <summary>
/// What the interop lab needs from the machine. Missing pieces skip the test on a developer's
/// box, but with PG_REQUIRE_NETNS=1 (CI, as root) they fail it: CI must never report green
/// because nothing ran.
/// </summary>
public static class LabRequirements
{
    public const string RequireVariable = "PG_REQUIRE_NETNS";
    public const string Charon = "/usr/lib/ipsec/charon";
    private const string PluginDir = "/usr/lib/ipsec/plugins";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Returns when everything is there; otherwise skips the calling test, or throws
    /// when <see cref="RequireVariable"/> is 1.</summary>
    public static void EnsureOrSkip()
    {
        var missing = FindMissing();
        if (missing.Count == 0)
        {
            return;
        }
        var message = "interop lab unavailable: " + string.Join("; ", missing) +
            ". Run as root after `sudo bash tests/interop/harness/install-deps.sh`.";
        if (Required)
        {
            throw new InvalidOperationException($"{RequireVariable}=1 forbids skipping: {message}");
        }
        Skip.If(true, message);
    }

    /// <summary>For a tool only some tests need (curl for the EMS API): skips, or fails under
    /// <see cref="RequireVariable"/>=1, when it is not on PATH.</summary>
    public static void EnsureToolOrSkip(string tool, string package)
    {
        if (FindOnPath(tool) is not null)
        {
            return;
        }
        var message = $"{tool} not on PATH (Debian package {package})";
        if (Required)
        {
            throw new InvalidOperationException($"{RequireVariable}=1 forbids skipping: {message}");
        }
        Skip.If(true, message);
    }

    /// <summary>For a file only some tests need (libfaketime for the EMS clock jump): skips, or fails
    /// under <see cref="RequireVariable"/>=1, when it is not there.</summary>
    public static void EnsureFileOrSkip(string path, string package)
    {
        if (File.Exists(path))
        {
            return;
        }
        var message = $"{path} missing (Debian package {package})";
        if (Required)
        {
            throw new InvalidOperationException($"{RequireVariable}=1 forbids skipping: {message}");
        }
        Skip.If(true, message);
    }

    public static IReadOnlyList<string> FindMissing()
    {
        var missing = new List<string>();
        if (!Environment.IsPrivilegedProcess)
        {
            missing.Add("not running as root (network namespaces, TUN, bind mounts need it)");
        }
        if (!File.Exists(Charon))
        {
            missing.Add($"{Charon} missing (Debian package strongswan-charon)");
        }
        foreach (var (plugin, package) in new[]
                 {
                     ("kernel-libipsec", "libcharon-extra-plugins"), ("eap-mschapv2", "libcharon-extauth-plugins"),
                     ("openssl", "libstrongswan-standard-plugins"), ("curve25519", "libstrongswan-extra-plugins"),
                     ("chapoly", "libstrongswan-extra-plugins"), ("vici", "strongswan-charon"),
                 })
        {
            if (!File.Exists($"{PluginDir}/libstrongswan-{plugin}.so"))
            {
                missing.Add($"strongSwan plugin {plugin} missing (Debian package {package})");
            }
        }
        foreach (var (tool, package) in new[]
                 {
                     ("swanctl", "strongswan-swanctl"), ("ip", "iproute2"), ("ss", "iproute2"), ("ping", "iputils-ping"),
                     ("nc", "netcat-openbsd"), ("bash", "bash"), ("setsid", "util-linux"),
                 })
        {
            if (FindOnPath(tool) is null)
            {
                missing.Add($"{tool} not on PATH (Debian package {package})");
            }
        }
        if (!File.Exists("/dev/net/tun"))
        {
            missing.Add("/dev/net/tun missing (kernel-libipsec and pgate need TUN)");
        }
        return missing;
    }

    public static string? FindOnPath(string tool)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists);
    }
}
