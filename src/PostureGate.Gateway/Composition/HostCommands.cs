// iproute2 invocations the gateway makes at start and stop (routes to its TUN
// devices). Control plane only, never per packet.
using System.Diagnostics;

namespace PostureGate.Gateway.Composition;

internal static class HostCommands
{
    public static (int ExitCode, string Error) Ip(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, err.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (127, $"ip not found ({ex.Message}); install iproute2");
        }
    }

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
