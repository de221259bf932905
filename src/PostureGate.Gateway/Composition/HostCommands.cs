// What the gateway asks of the host before it starts: whether it may create TUN devices, and
// the kernel's index of an interface (sysfs, Documentation/ABI/testing/sysfs-class-net).

namespace PostureGate.Gateway.Composition;

internal static class HostCommands
{
    /// <summary>The kernel's index of a Linux interface, as `diagnose` prints it ("port1 9"); 0 when unknown.</summary>
    public static int InterfaceIndex(string linuxName)
    {
        try
        {
            return int.TryParse(File.ReadAllText($"/sys/class/net/{linuxName}/ifindex").Trim(), out var i) ? i : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>Whether this process may create TUN devices.</summary>
    public static bool CanCreateTun() => Environment.IsPrivilegedProcess && File.Exists("/dev/net/tun");
}
