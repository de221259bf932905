// Which UDP segmentation offloads a LinuxUdpBind may use (udp(7) UDP_SEGMENT and UDP_GRO).
// Each is used only where the kernel offers it; None keeps plain recvmmsg/sendmmsg.
namespace PostureGate.Esp.Devices.Linux;

[Flags]
public enum UdpOffload
{
    None = 0,

    /// <summary>Send runs of equal-sized datagrams to one destination as one message (Linux ≥ 4.18).</summary>
    Gso = 1,

    /// <summary>Let the kernel coalesce received datagrams of one flow (Linux ≥ 5.0).</summary>
    Gro = 2,

    All = Gso | Gro,
}
