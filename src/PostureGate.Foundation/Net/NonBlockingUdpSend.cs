// A UDP send that never waits: sendto(2) with MSG_DONTWAIT (send(2), udp(7)). The IKE and
// NAT-T sockets send their replies from the thread that receives; a blocking sendto stalls
// that thread whenever the send buffer is full — for instance when replies to spoofed
// on-link sources sit in the neighbour queue waiting for ARP that never comes — and then
// nobody is served. A datagram that cannot be queued at once is dropped: UDP promises no
// delivery, and IKE retransmits (RFC 7296 §2.1).
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PostureGate.Net;

/// <summary>What became of one non-blocking send.</summary>
public enum UdpSendOutcome : byte
{
    Sent,
    /// <summary>The send buffer or the device queue was full (EAGAIN, ENOBUFS): dropped.</summary>
    BufferFull,
    /// <summary>Any other error (unreachable, message too long...): dropped.</summary>
    Failed,
}

public static unsafe partial class NonBlockingUdpSend
{
    // <asm-generic/errno.h>, <bits/socket.h>
    private const int MSG_DONTWAIT = 0x40;
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int ENOBUFS = 105;

    /// <summary>
    /// Sends <paramref name="datagram"/> to <paramref name="remote"/> without ever blocking. An IPv4
    /// destination on an IPv6 socket is sent as its IPv4-mapped address (RFC 4291 §2.5.5.2).
    /// <paramref name="errno"/> is the system error of a failed send, 0 otherwise.
    /// </summary>
    public static UdpSendOutcome SendTo(Socket socket, ReadOnlySpan<byte> datagram, IPEndPoint remote, out int errno)
    {
        var to = socket.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(remote.Address.MapToIPv6(), remote.Port)
            : remote;
        // SocketAddress holds the platform's native sockaddr (sockaddr_in / sockaddr_in6).
        var address = to.Serialize();
        var name = address.Buffer.Span[..address.Size];
        var added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            while (true)
            {
                nint n;
                fixed (byte* data = datagram)
                fixed (byte* sockaddr = name)
                    n = SendTo(fd, data, (nuint)datagram.Length, MSG_DONTWAIT, sockaddr, (uint)name.Length);
                if (n >= 0)
                {
                    errno = 0;
                    return UdpSendOutcome.Sent;
                }
                errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                    continue;
                return errno is EAGAIN or ENOBUFS ? UdpSendOutcome.BufferFull : UdpSendOutcome.Failed;
            }
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);
}
