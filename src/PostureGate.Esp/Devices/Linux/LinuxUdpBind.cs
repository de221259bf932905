// The NAT-T UDP socket on Linux with batched I/O: recvmmsg(2)/sendmmsg(2) on the
// Socket's descriptor move a whole batch per system call (wireguard-go's StdNetBind does
// the same through x/net's ReadBatch/WriteBatch). The buffers are pinned arrays, so the
// kernel reads and writes them directly. Where the calls are missing (not Linux, ENOSYS)
// it falls back to Socket.ReceiveFrom/SendTo one datagram at a time.
// Where the kernel offers them, the UDP offloads cut the per-datagram cost further
// (udp(7); Documentation/networking/segmentation-offloads.rst), as in wireguard-go:
//   1. Send: a run of equal-sized datagrams to one destination leaves as one message whose
//      iovecs point at each packet's buffer, with a UDP_SEGMENT control message (GSO).
//   2. A kernel that refuses GSO turns it off for the bind; the run is sent again plainly.
//   3. Receive: UDP_GRO lets the kernel hand over a flow's datagrams coalesced; UdpGroBatch
//      cuts them apart into the caller's buffers, keeping any rest for the next call.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using PostureGate.Net;

namespace PostureGate.Esp.Devices.Linux;

public sealed unsafe class LinuxUdpBind : IPacketBind
{
    private const int PollTimeoutMs = 100;
    internal const int SockAddrLength = 28; // sizeof(struct sockaddr_in6), large enough for both families
    private const ushort AF_INET = 2;
    private const ushort AF_INET6 = 10;

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly bool _ipv6;
    private readonly int _batch;
    private readonly Lock _sendLock = new();
    private readonly Batch _rx;
    private readonly Batch _tx;
    private readonly int[] _txFirstPacket; // per message of _tx: the index of its first packet
    private UdpGroBatch? _gro;
    private volatile bool _gso;
    private bool _useMmsg;
    private long _sendErrors;
    private int _disposed;

    // One batch's native scratch: message headers, iovecs, socket addresses, UDP_SEGMENT messages.
    private readonly struct Batch
    {
        public readonly LibC.MMsgHdr* Messages;
        public readonly LibC.IoVec* Iov;
        public readonly byte* Names;
        public readonly byte* Control;

        public Batch(int count)
        {
            Messages = (LibC.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(count * sizeof(LibC.MMsgHdr)));
            Iov = (LibC.IoVec*)NativeMemory.AllocZeroed((nuint)(count * sizeof(LibC.IoVec)));
            Names = (byte*)NativeMemory.AllocZeroed((nuint)(count * SockAddrLength));
            Control = (byte*)NativeMemory.AllocZeroed((nuint)(count * UdpGsoControl.SegmentSpace));
        }

        public void Free()
        {
            NativeMemory.Free(Messages);
            NativeMemory.Free(Iov);
            NativeMemory.Free(Names);
            NativeMemory.Free(Control);
        }
    }

    private LinuxUdpBind(Socket socket, int batch, UdpOffload offload)
    {
        _socket = socket;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _ipv6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        _batch = batch;
        _useMmsg = OperatingSystem.IsLinux();
        _rx = new Batch(batch);
        _tx = new Batch(batch);
        _txFirstPacket = new int[batch];
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        if (_useMmsg && offload.HasFlag(UdpOffload.Gso))
            _gso = KernelKnows(LibC.UDP_SEGMENT);
        if (_useMmsg && offload.HasFlag(UdpOffload.Gro) && SetGro(true))
            _gro = new UdpGroBatch(batch);
    }

    // A kernel older than 4.18 ignores an unknown SOL_UDP control message and would send the whole
    // run as one datagram, so GSO is used only where getsockopt(UDP_SEGMENT) answers (as wireguard-go).
    private bool KernelKnows(int option)
    {
        int value;
        var length = (uint)sizeof(int);
        return LibC.GetSockOpt(_fd, LibC.SOL_UDP, option, &value, &length) == 0;
    }

    private bool SetGro(bool on)
    {
        var value = on ? 1 : 0;
        return LibC.SetSockOpt(_fd, LibC.SOL_UDP, LibC.UDP_GRO, &value, sizeof(int)) == 0;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Whether recvmmsg/sendmmsg are in use (false after falling back to the managed socket).</summary>
    public bool UsesBatchedSystemCalls => _useMmsg;

    /// <summary>Whether sends use UDP_SEGMENT (false when not asked for, not offered, or refused by the kernel).</summary>
    public bool UsesGso => _gso;

    /// <summary>Whether the socket receives with UDP_GRO.</summary>
    public bool UsesGro => _gro is not null;

    /// <summary>Whether datagrams of a coalesced receive still wait for the next Receive call.</summary>
    internal bool HasPendingCoalesced => _gro?.HasPending ?? false;

    /// <summary>The socket, for tests that change its options.</summary>
    internal Socket Socket => _socket;

    /// <summary>Datagrams the kernel refused to send.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>
    /// Binds a UDP socket to <paramref name="local"/> (IPv6 any is dual-stack) with socket buffers of
    /// <paramref name="bufferBytes"/>; as root the *BUFFORCE options lift the sysctl ceiling. The
    /// <paramref name="offload"/>s are used where the kernel offers them (see UsesGso, UsesGro).
    /// </summary>
    public static LinuxUdpBind Open(IPEndPoint local, int bufferBytes = 8 << 20, int batchSize = 64, UdpOffload offload = UdpOffload.All)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = true;
            socket.ReceiveBufferSize = bufferBytes;
            socket.SendBufferSize = bufferBytes;
            TryForceBuffer(socket, LibC.SO_RCVBUFFORCE, bufferBytes);
            TryForceBuffer(socket, LibC.SO_SNDBUFFORCE, bufferBytes);
            socket.Bind(local);
            return new LinuxUdpBind(socket, batchSize, offload);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void TryForceBuffer(Socket socket, int option, int bytes)
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            Span<byte> value = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(value, bytes);
            socket.SetRawSocketOption(LibC.SOL_SOCKET, option, value);
        }
        catch (SocketException)
        {
            // Without CAP_NET_ADMIN the plain SO_RCVBUF/SO_SNDBUF (capped by sysctl) stays in force.
        }
    }

    public int Receive(Span<PacketBuffer> packets, CancellationToken cancellationToken)
    {
        var count = Math.Min(packets.Length, _batch);
        while (!cancellationToken.IsCancellationRequested)
        {
            var n = !_useMmsg ? ReceiveOne(packets[0])
                : _gro is { } gro ? ReceiveCoalesced(gro, packets)
                : ReceiveBatch(packets[..count]);
            if (n > 0)
                return n;
            if (n == 0)
            {
                var pfd = new LibC.PollFd { Fd = _fd, Events = LibC.POLLIN };
                LibC.Poll(&pfd, 1, PollTimeoutMs);
            }
        }
        return 0;
    }

    // Returns datagrams received, 0 when none is queued, -1 to retry at once.
    private int ReceiveBatch(Span<PacketBuffer> packets)
    {
        for (var i = 0; i < packets.Length; i++)
        {
            var buffer = packets[i];
            _rx.Iov[i].Base = Unsafe(buffer.Array);
            _rx.Iov[i].Length = (nuint)buffer.Array.Length;
            ref var h = ref _rx.Messages[i].Header;
            h = default;
            h.Name = _rx.Names + i * SockAddrLength;
            h.NameLength = SockAddrLength;
            h.Iov = &_rx.Iov[i];
            h.IovLength = 1;
        }
        var n = LibC.RecvMmsg(_fd, _rx.Messages, (uint)packets.Length, LibC.MSG_DONTWAIT, null);
        if (n < 0)
            return ReceiveFailed(Marshal.GetLastPInvokeError());
        for (var i = 0; i < n; i++)
        {
            var buffer = packets[i];
            ref var m = ref _rx.Messages[i];
            buffer.Offset = 0;
            // A datagram larger than the buffer was cut short: it cannot be valid, so hand it on empty.
            buffer.Length = (m.Header.Flags & LibC.MSG_TRUNC) != 0 ? 0 : (int)m.Length;
            SetRemote(buffer, m.Header.Name, m.Header.NameLength);
        }
        return n;
    }

    // With UDP_GRO: what an earlier call could not hand over goes first, then a fresh recvmmsg.
    private int ReceiveCoalesced(UdpGroBatch gro, Span<PacketBuffer> packets)
    {
        if (gro.HasPending)
            return gro.Drain(packets);
        var n = gro.Receive(_fd, packets.Length);
        return n < 0 ? ReceiveFailed(Marshal.GetLastPInvokeError()) : gro.Drain(packets);
    }

    // recvmmsg failed: 0 when nothing is queued, -1 to retry at once; anything else is thrown.
    private int ReceiveFailed(int errno)
    {
        if (errno == LibC.ENOSYS)
        {
            // The managed socket would hand over coalesced buffers whole, so GRO goes too.
            if (_gro is not null)
                SetGro(false);
            _gro = null;
            _useMmsg = false;
            return -1;
        }
        if (errno == LibC.EINTR)
            return -1;
        if (errno == LibC.EAGAIN)
            return 0;
        throw new SocketException(errno);
    }

    internal static void SetRemote(PacketBuffer buffer, void* name, uint nameLength)
    {
        var length = (int)Math.Min(nameLength, SockAddrLength);
        new ReadOnlySpan<byte>(name, length).CopyTo(buffer.Remote.Buffer.Span);
        buffer.Remote.Size = length;
    }

    private int ReceiveOne(PacketBuffer buffer)
    {
        if (!_socket.Poll(PollTimeoutMs * 1000, SelectMode.SelectRead))
            return -1;
        EndPoint from = new IPEndPoint(_ipv6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        buffer.Offset = 0;
        buffer.Length = _socket.ReceiveFrom(buffer.Array, ref from);
        buffer.SetRemote((IPEndPoint)from);
        return 1;
    }

    public void Send(ReadOnlySpan<PacketBuffer> packets)
    {
        if (!_useMmsg)
        {
            foreach (var p in packets)
                SendTo(p.Data, p.Destination!);
            return;
        }
        lock (_sendLock)
        {
            while (!packets.IsEmpty)
            {
                var chunk = packets[..Math.Min(packets.Length, _batch)];
                SendBatch(chunk, _gso);
                packets = packets[chunk.Length..];
            }
        }
    }

    // One sendmmsg(2) for the whole chunk: a message per GSO run (or per packet without GSO).
    private void SendBatch(ReadOnlySpan<PacketBuffer> packets, bool gso)
    {
        var messages = 0;
        for (var first = 0; first < packets.Length; messages++)
        {
            var run = gso ? UdpGsoRun.Length(packets[first..]) : 1;
            // The iovecs of a run are consecutive, one per packet buffer: no copy into a staging buffer.
            for (var i = first; i < first + run; i++)
            {
                _tx.Iov[i].Base = Unsafe(packets[i].Array) + packets[i].Offset;
                _tx.Iov[i].Length = (nuint)packets[i].Length;
            }
            ref var h = ref _tx.Messages[messages].Header;
            h = default;
            h.Name = _tx.Names + messages * SockAddrLength;
            h.NameLength = (uint)WriteSockAddr(packets[first].Destination!, new Span<byte>(h.Name, SockAddrLength));
            h.Iov = &_tx.Iov[first];
            h.IovLength = (nuint)run;
            if (run > 1)
            {
                h.Control = _tx.Control + messages * UdpGsoControl.SegmentSpace;
                h.ControlLength = (nuint)UdpGsoControl.WriteSegment((byte*)h.Control, (ushort)packets[first].Length);
            }
            _txFirstPacket[messages] = first;
            first += run;
        }
        var sent = 0;
        while (sent < messages)
        {
            var n = LibC.SendMmsg(_fd, _tx.Messages + sent, (uint)(messages - sent), 0);
            if (n > 0)
            {
                sent += n;
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
                continue;
            if (_tx.Messages[sent].Header.IovLength > 1)
            {
                // A GSO message failed as a whole. Its datagrams and the rest go again one by one, so
                // offload costs nothing and a real failure is counted per datagram. A refusal of GSO
                // itself (udp(7): EIO without checksum offload, EINVAL...) turns it off for good.
                if (IsGsoRefusal(errno))
                    _gso = false;
                SendBatch(packets[_txFirstPacket[sent]..], gso: false);
                return;
            }
            // The first remaining datagram failed (unreachable, too big, buffer full): drop it, go on.
            Interlocked.Increment(ref _sendErrors);
            sent++;
        }
    }

    private static bool IsGsoRefusal(int errno) =>
        errno is LibC.EIO or LibC.EINVAL or LibC.ENOPROTOOPT or LibC.EOPNOTSUPP or LibC.ENOTSUPP;

    public void SendTo(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        var to = _ipv6 && destination.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(destination.Address.MapToIPv6(), destination.Port)
            : destination;
        // IKE replies and keepalives leave from the receiving thread: never wait for buffer space.
        if (NonBlockingUdpSend.SendTo(_socket, datagram, to, out _) != UdpSendOutcome.Sent)
            Interlocked.Increment(ref _sendErrors);
    }

    // struct sockaddr_in / sockaddr_in6 in the socket's family (IPv4 mapped on a dual-stack socket).
    private int WriteSockAddr(IPEndPoint endpoint, Span<byte> name)
    {
        name.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(name[2..], (ushort)endpoint.Port);
        if (!_ipv6)
        {
            MemoryMarshal.Write(name, AF_INET);
            endpoint.Address.TryWriteBytes(name[4..8], out _);
            return 16;
        }
        MemoryMarshal.Write(name, AF_INET6);
        if (endpoint.AddressFamily == AddressFamily.InterNetwork)
        {
            // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2), written in place: no mapped IPAddress per packet.
            name[18] = name[19] = 0xFF;
            endpoint.Address.TryWriteBytes(name[20..24], out _);
        }
        else
        {
            endpoint.Address.TryWriteBytes(name[8..24], out _);
            BinaryPrimitives.WriteUInt32LittleEndian(name[24..], (uint)endpoint.Address.ScopeId);
        }
        return SockAddrLength;
    }

    // The buffers are allocated pinned (PacketBuffer), so their address is stable.
    private static byte* Unsafe(byte[] pinned) =>
        (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _socket.Dispose();
        _rx.Free();
        _tx.Free();
        _gro?.Dispose();
    }
}
