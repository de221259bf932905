// The host's interfaces as Linux lists them under /sys/class/net (here a directory standing in for it).
using PostureGate.Config.Host;

namespace PostureGate.Config.Tests.Host;

public class LinuxHostInterfaceSourceTests
{
    [Fact]
    public void HostSourceListsSysClassNetDevicesEvenWithoutAddresses()
    {
        var dir = Directory.CreateTempSubdirectory("pgate-sysnet");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "port1"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "vlan160"));
            var names = new LinuxHostInterfaceSource(dir.FullName).GetInterfaces().Select(i => i.Name).ToArray();
            Assert.Contains("port1", names);
            Assert.Contains("vlan160", names);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
