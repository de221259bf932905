// A Linux TUN device (Documentation/networking/tuntap.rst): /dev/net/tun, TUNSETIFF with
// IFF_TUN|IFF_NO_PI so each read/write is exactly one IP packet with no prefix. Address,
// MTU and link state are set with iproute2 once at start-up (control plane, not per packet).
// Reads are non-blocking and drained in a batch, with poll() when the queue is empty.
using System.Diagnostics;
using System.Net;
using System.Text;

namespace PostureGate.Esp.Devices.Linux;

/// <summary>The device could not be created or configured; the message says why and what is needed.</summary>
public sealed class TunDeviceException(string message) : Exception(message);

public sealed unsafe class LinuxTunDevice : ITunDevice
{
    private const int PollTimeoutMs = 100;

    private int _fd;
    private long _writeErrors;

    private LinuxTunDevice(int fd, string name, int mtu, string? networkNamespace)
    {
        _fd = fd;
        Name = name;
        Mtu = mtu;
        NetworkNamespace = networkNamespace;
    }

    public string Name { get; }

    public int Mtu { get; }

    /// <summary>The namespace the interface was moved to, or null for the process's own.</summary>
    public string? NetworkNamespace { get; }

    /// <summary>Packets the kernel refused on write.</summary>
    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    /// <summary>
    /// Creates interface <paramref name="name"/>, optionally moves it into an existing network
    /// namespace (the descriptor stays valid there), sets its MTU and brings it up.
    /// Needs root or CAP_NET_ADMIN.
    /// </summary>
    public static LinuxTunDevice Create(string name, int mtu = 1400, string? networkNamespace = null)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("TUN devices are implemented for Linux only");
        if (Encoding.UTF8.GetByteCount(name) is 0 or >= LibC.IFNAMSIZ)
            throw new ArgumentException($"interface name '{name}' must be 1-15 octets", nameof(name));

        var fd = LibC.Open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new TunDeviceException(errno switch
            {
                LibC.ENOENT => "/dev/net/tun does not exist: load the tun module (modprobe tun) or give the container the device",
                LibC.EACCES or LibC.EPERM => "opening /dev/net/tun was refused: run as root or grant CAP_NET_ADMIN",
                _ => $"opening /dev/net/tun failed: {LibC.Describe(errno)}",
            });
        }
        var ifr = default(LibC.IfReq);
        Encoding.UTF8.GetBytes(name, new Span<byte>(ifr.Name, LibC.IFNAMSIZ));
        ifr.Flags = LibC.IFF_TUN | LibC.IFF_NO_PI;
        if (LibC.Ioctl(fd, LibC.TUNSETIFF, &ifr) < 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw new TunDeviceException(errno == LibC.EPERM
                ? $"creating TUN device '{name}' needs root or CAP_NET_ADMIN"
                : $"creating TUN device '{name}' failed: {LibC.Describe(errno)}");
        }
        var device = new LinuxTunDevice(fd, name, mtu, networkNamespace);
        try
        {
            if (networkNamespace is not null)
                Ip(null, "link", "set", "dev", name, "netns", networkNamespace);
            Ip(networkNamespace, "link", "set", "dev", name, "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), "up");
        }
        catch
        {
            device.Dispose();
            throw;
        }
        return device;
    }

    /// <summary>Assigns an address to the interface (`ip addr add`).</summary>
    public void AddAddress(IPAddress address, int prefixLength) =>
        Ip(NetworkNamespace, "addr", "add", $"{address}/{prefixLength}", "dev", Name);

    public int Read(Span<PacketBuffer> packets, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var n = 0;
            while (n < packets.Length)
            {
                var buffer = packets[n];
                nint got;
                // Leave the tailroom free: the ESP trailer and ICV are written behind the packet.
                fixed (byte* p = buffer.Array)
                    got = LibC.Read(_fd, p + buffer.Offset, (nuint)(buffer.Array.Length - buffer.Offset - PacketBuffer.Tailroom));
                if (got < 0)
                {
                    var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                        continue;
                    if (errno == LibC.EAGAIN)
                        break;
                    throw new IOException($"reading TUN device '{Name}': {LibC.Describe(errno)}");
                }
                buffer.Length = (int)got;
                n++;
            }
            if (n > 0)
                return n;
            var pfd = new LibC.PollFd { Fd = _fd, Events = LibC.POLLIN };
            LibC.Poll(&pfd, 1, PollTimeoutMs);
        }
        return 0;
    }

    public void Write(ReadOnlySpan<PacketBuffer> packets)
    {
        foreach (var buffer in packets)
        {
            nint written;
            fixed (byte* p = buffer.Array)
                written = LibC.Write(_fd, p + buffer.Offset, (nuint)buffer.Length);
            // One packet per write: a refused packet (bad header, queue full) is that packet's loss only.
            if (written < 0)
                Interlocked.Increment(ref _writeErrors);
        }
    }

    private static void Ip(string? networkNamespace, params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (networkNamespace is not null)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(networkNamespace);
        }
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new TunDeviceException("cannot run 'ip' (iproute2)");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new TunDeviceException($"'ip {string.Join(' ', start.ArgumentList)}' failed: {error.Trim()}");
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
            LibC.Close(fd);
    }
}
