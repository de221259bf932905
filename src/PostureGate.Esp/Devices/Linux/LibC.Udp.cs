// The UDP segmentation offloads (udp(7) "UDP_SEGMENT", "UDP_GRO"; kernel
// Documentation/networking/segmentation-offloads.rst "UDP GSO"): socket options,
// control-message layout and the errors that mean "no offload here". Kept apart from
// LibC.cs so the TUN and the UDP offload work do not edit the same file.
using System.Runtime.InteropServices;

namespace PostureGate.Esp.Devices.Linux;

internal static unsafe partial class LibC
{
    // <netinet/udp.h>, <linux/udp.h>
    public const int SOL_UDP = 17;
    public const int UDP_SEGMENT = 103;
    public const int UDP_GRO = 104;

    // <asm-generic/errno*.h>: what udp_send_skb() and the cmsg parser answer when GSO cannot be done.
    public const int EIO = 5;
    public const int EINVAL = 22;
    public const int EMSGSIZE = 90;
    public const int ENOPROTOOPT = 92;
    public const int EOPNOTSUPP = 95;
    public const int ENOTSUPP = 524; // kernel-internal, yet some drivers let it leak to user space

    public const int MSG_CTRUNC = 0x8;

    /// <summary>struct cmsghdr (LP64): cmsg_len is a size_t, so data starts 16 octets in.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [LibraryImport(Lib, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, void* value, uint* length);
}
