// The Linux host's interfaces: names from /sys/class/net joined with the addresses System.Net.NetworkInformation reports.
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PostureGate.Config.Host;

/// <summary>
/// Names from /sys/class/net (every kernel device, up or down) joined with the
/// addresses the kernel reports through System.Net.NetworkInformation.
/// </summary>
public sealed class LinuxHostInterfaceSource : IHostInterfaceSource
{
    private readonly string _sysClassNet;

    public LinuxHostInterfaceSource(string sysClassNet = "/sys/class/net") => _sysClassNet = sysClassNet;

    public IReadOnlyList<HostInterface> GetInterfaces()
    {
        var addresses = new Dictionary<string, List<System.Net.IPAddress>>(StringComparer.Ordinal);
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                var list = addresses[nic.Name] = [];
                foreach (var u in nic.GetIPProperties().UnicastAddresses)
                {
                    if (u.Address.AddressFamily == AddressFamily.InterNetwork)
                        list.Add(u.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No address information: name matching still works.
        }
        var names = new SortedSet<string>(addresses.Keys, StringComparer.Ordinal);
        if (Directory.Exists(_sysClassNet))
        {
            foreach (var dir in Directory.EnumerateFileSystemEntries(_sysClassNet))
                names.Add(Path.GetFileName(dir));
        }
        return names.Select(n => new HostInterface(n, addresses.TryGetValue(n, out var a) ? a : [])).ToArray();
    }
}
