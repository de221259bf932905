// A Linux TUN device (Documentation/networking/tuntap.rst): /dev/net/tun, TUNSETIFF with
// IFF_TUN|IFF_NO_PI so each read/write is exactly one IP packet with no prefix. Address,
// MTU and link state are set with iproute2 once at start-up (control plane, not per packet).
// Reads are non-blocking and drained in a batch, with poll() when the queue is empty.
//
// With offloads (the default) the device is opened with IFF_VNET_HDR and TUNSETOFFLOAD
// (TUN_F_CSUM | TUN_F_TSO4), as wireguard-go's Linux TUN does: reads may return 64 KiB TCP
// super-packets that are split here (Offload/TunPacketSplitter), and writes merge in-order
// TCP segments of a batch into one GSO packet (Offload/TcpCoalescer). Packet I/O, not
// crypto, is the cost per packet, and this divides the system calls and the trips through
// the kernel's stack by up to the number of segments merged. Create(offload: false) disables it.
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using PostureGate.Esp.Offload;
using PostureGate.Platform;

namespace PostureGate.Esp.Devices.Linux;

/// <summary>The device could not be created or configured; the message says why and what is needed.</summary>
public sealed class TunDeviceException(string message) : Exception(message);

public sealed unsafe class LinuxTunDevice : ITunDevice
{
    private const int PollTimeoutMs = 100;

    // Packets per TcpCoalescer plan; larger writes are planned in slices.
    private const int CoalesceSlice = 256;

    private int _fd;
    private long _writeErrors;
    private long _gsoWrites;
    private long _mergedSegments;
    private long _writeCalls;
    private long _packetsWritten;
    private long _readCalls;
    private long _packetsRead;
    private bool _merge;
    private readonly TunPacketSplitter? _splitter;
    private readonly TcpCoalescer? _coalescer;
    private const int EINVAL = 22;

    // Pinned for the device's life (not native memory: nothing to free while a loop may still write).
    private readonly LibC.IoVec[]? _iovArray;
    private readonly byte[]? _virtioHeaderArray;
    private readonly LibC.IoVec* _iov;
    private readonly byte* _virtioHeader;

    private LinuxTunDevice(int fd, string name, int mtu, string? networkNamespace, TunOffloads offloads)
    {
        _fd = fd;
        Name = name;
        Mtu = mtu;
        NetworkNamespace = networkNamespace;
        Offloads = offloads;
        if (offloads != TunOffloads.None)
        {
            _splitter = new TunPacketSplitter();
            _coalescer = new TcpCoalescer(CoalesceSlice);
            _merge = true;
            _iovArray = GC.AllocateArray<LibC.IoVec>(TcpCoalescer.MaxSegments + 1, pinned: true);
            _virtioHeaderArray = GC.AllocateArray<byte>(VirtioNetHeader.Size, pinned: true);
            _iov = (LibC.IoVec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_iovArray));
            _virtioHeader = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_virtioHeaderArray));
        }
    }

    /// <summary>The offloads in force (none when created without them or the kernel refused them).</summary>
    public TunOffloads Offloads { get; }

    /// <summary>GSO packets written (each several merged TCP segments) and the segments they carried.</summary>
    public (long Writes, long Segments) MergedWrites => (Interlocked.Read(ref _gsoWrites), Interlocked.Read(ref _mergedSegments));

    /// <summary>Write calls (batches from the data plane) and the packets they carried.</summary>
    public (long Calls, long Packets) Written => (Interlocked.Read(ref _writeCalls), Interlocked.Read(ref _packetsWritten));

    /// <summary>Read calls that returned packets, and the packets (segments after splitting) returned.</summary>
    public (long Calls, long Packets) ReadTotals => (Interlocked.Read(ref _readCalls), Interlocked.Read(ref _packetsRead));

    /// <summary>TCP super-packets read and split.</summary>
    public long SplitReads => _splitter?.SplitFrames ?? 0;

    /// <summary>Frames read that were dropped as malformed or of an offload kind not negotiated.</summary>
    public long ReadDrops => _splitter?.Dropped ?? 0;

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
    public static LinuxTunDevice Create(string name, int mtu = 1400, string? networkNamespace = null, bool offload = true)
    {
        var wantOffload = offload;
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
        ifr.Flags = (short)(LibC.IFF_TUN | LibC.IFF_NO_PI | (wantOffload ? LibC.IFF_VNET_HDR : 0));
        if (LibC.Ioctl(fd, LibC.TUNSETIFF, &ifr) < 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            LibC.Close(fd);
            throw new TunDeviceException(errno == LibC.EPERM
                ? $"creating TUN device '{name}' needs root or CAP_NET_ADMIN"
                : $"creating TUN device '{name}' failed: {LibC.Describe(errno)}");
        }
        var offloads = TunOffloads.None;
        if (wantOffload)
        {
            // Merged writes need only IFF_VNET_HDR; TSO4 reads need the kernel to agree as well.
            offloads = TunOffloads.MergeWrites;
            if (LibC.Ioctl(fd, LibC.TUNSETOFFLOAD, (void*)(nuint)(LibC.TUN_F_CSUM | LibC.TUN_F_TSO4)) == 0)
                offloads |= TunOffloads.SplitReads;
        }
        var device = new LinuxTunDevice(fd, name, mtu, networkNamespace, offloads);
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
        if (_splitter is not null)
            return ReadFrames(_splitter, packets, cancellationToken);
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

    // Reads with the virtio header: each frame goes through the splitter, which may yield many
    // packets; those that do not fit this call's buffers are handed out by the next call.
    private int ReadFrames(TunPacketSplitter splitter, Span<PacketBuffer> packets, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var n = splitter.Drain(packets);
            while (n < packets.Length)
            {
                nint got;
                fixed (byte* p = splitter.Frame)
                    got = LibC.Read(_fd, p, (nuint)splitter.Frame.Length);
                if (got < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                        continue;
                    if (errno == LibC.EAGAIN)
                        break;
                    throw new IOException($"reading TUN device '{Name}': {LibC.Describe(errno)}");
                }
                if (splitter.Accept((int)got))
                    n += splitter.Drain(packets[n..]);
            }
            if (n > 0)
            {
                Interlocked.Increment(ref _readCalls);
                Interlocked.Add(ref _packetsRead, n);
                return n;
            }
            var pfd = new LibC.PollFd { Fd = _fd, Events = LibC.POLLIN };
            LibC.Poll(&pfd, 1, PollTimeoutMs);
        }
        return 0;
    }

    public void Write(ReadOnlySpan<PacketBuffer> packets)
    {
        Interlocked.Increment(ref _writeCalls);
        Interlocked.Add(ref _packetsWritten, packets.Length);
        if (_coalescer is not null)
        {
            while (!packets.IsEmpty)
            {
                var slice = packets[..Math.Min(packets.Length, CoalesceSlice)];
                WriteMerged(_coalescer, slice);
                packets = packets[slice.Length..];
            }
            return;
        }
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

    // One writev per unit: the virtio header, the first packet whole, then the payload of each
    // segment that continues it (zero copy: the iovecs point into the pinned packet buffers).
    private void WriteMerged(TcpCoalescer coalescer, ReadOnlySpan<PacketBuffer> packets)
    {
        var units = coalescer.Plan(packets, _merge);
        var header = new Span<byte>(_virtioHeader, VirtioNetHeader.Size);
        for (var u = 0; u < units; u++)
        {
            ref var unit = ref coalescer[u];
            coalescer.Seal(ref unit, packets, header);
            _iov[0] = new LibC.IoVec { Base = _virtioHeader, Length = VirtioNetHeader.Size };
            var head = packets[unit.Head];
            _iov[1] = new LibC.IoVec { Base = Address(head), Length = (nuint)head.Length };
            var count = 2;
            // Every member has the head's header length (TcpCoalescer merges no other).
            for (var m = coalescer.NextMember(unit.Head); m >= 0; m = coalescer.NextMember(m))
            {
                var member = packets[m];
                _iov[count++] = new LibC.IoVec { Base = Address(member) + unit.HeadersLength, Length = (nuint)(member.Length - unit.HeadersLength) };
            }
            if (LibC.WriteV(_fd, _iov, count) >= 0)
            {
                if (unit.Count > 1)
                {
                    Interlocked.Increment(ref _gsoWrites);
                    Interlocked.Add(ref _mergedSegments, unit.Count);
                }
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (unit.Count > 1 && errno == EINVAL)
            {
                // This kernel takes no GSO writes: stop merging and send the members one by one.
                _merge = false;
                TcpCoalescer.Unseal(ref unit, packets);
                for (var m = unit.Head; m >= 0; m = coalescer.NextMember(m))
                    WriteSingle(packets[m]);
                continue;
            }
            Interlocked.Add(ref _writeErrors, unit.Count);
        }
    }

    private void WriteSingle(PacketBuffer packet)
    {
        default(VirtioNetHeader).Write(new Span<byte>(_virtioHeader, VirtioNetHeader.Size));
        _iov[0] = new LibC.IoVec { Base = _virtioHeader, Length = VirtioNetHeader.Size };
        _iov[1] = new LibC.IoVec { Base = Address(packet), Length = (nuint)packet.Length };
        if (LibC.WriteV(_fd, _iov, 2) < 0)
            Interlocked.Increment(ref _writeErrors);
    }

    // PacketBuffer arrays are pinned for their lifetime.
    private static byte* Address(PacketBuffer buffer) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer.Array)) + buffer.Offset;

    private static void Ip(string? networkNamespace, params string[] arguments)
    {
        var r = HostCommand.Ip(networkNamespace, arguments);
        if (!r.Succeeded)
            throw new TunDeviceException($"'{r.CommandLine}' failed: {r.Error}");
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd < 0)
            return;
        LibC.Close(fd);
    }
}

/// <summary>What a TUN device does beyond one packet per read and write.</summary>
[Flags]
public enum TunOffloads
{
    None = 0,

    /// <summary>In-order TCP segments of a written batch go to the kernel as one GSO packet.</summary>
    MergeWrites = 1,

    /// <summary>The kernel may hand over TCP super-packets (TSO4) and unfinished checksums, split and finished here.</summary>
    SplitReads = 2,
}
