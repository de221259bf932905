// What the process tests need from this machine: free loopback ports, the example configuration.
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Cli.Tests;

internal static class TestHost
{
    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public static int FreeTcpPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>examples/dialup.conf of this repository, found upwards from the test binaries.</summary>
    public static string ExamplePath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "dialup.conf");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("examples/dialup.conf");
    }
}
