// The kernel's index of the interface holding a local address (Linux ifindex, as FortiOS's
// `udp comes …,ifindex=N` and `created connection: … N …` print it), for sockets whose
// datagrams come without IP_PKTINFO (the data plane's ESP-in-UDP socket). 0: not known.
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PostureGate.Gateway.Net;

public static class InterfaceIndex
{
    public static int Of(IPAddress local)
    {
        if (local.Equals(IPAddress.Any) || local.Equals(IPAddress.IPv6Any))
            return 0;
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                var props = nic.GetIPProperties();
                if (!props.UnicastAddresses.Any(u => u.Address.Equals(local)))
                    continue;
                return local.AddressFamily == AddressFamily.InterNetworkV6
                    ? props.GetIPv6Properties()?.Index ?? 0
                    : props.GetIPv4Properties()?.Index ?? 0;
            }
        }
        catch (NetworkInformationException)
        {
        }
        return 0;
    }
}
