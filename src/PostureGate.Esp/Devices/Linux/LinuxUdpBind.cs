// The NAT-T UDP socket on Linux with batched I/O: recvmmsg(2)/sendmmsg(2) on the
// Socket's descriptor move a whole batch per system call (wireguard-go's StdNetBind does
// the same through x/net's ReadBatch/WriteBatch). The buffers are pinned arrays, so the
// kernel reads and writes them directly. Where the calls are missing (not Linux, ENOSYS)
// it falls back to Socket.ReceiveFrom/SendTo one datagram at a time.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PostureGate.Esp.Devices.Linux;

public sealed unsafe class LinuxUdpBind : IPacketBind
{
    private const int PollTimeoutMs = 100;
    private const int SockAddrLength = 28; // sizeof(struct sockaddr_in6), large enough for both families
    private const ushort AF_INET = 2;
    private const ushort AF_INET6 = 10;

    private readonly Socket _socket;
    private readonly int _fd;
    private readonly bool _ipv6;
    private readonly int _batch;
    private readonly Lock _sendLock = new();
    private readonly Batch _rx;
    private readonly Batch _tx;
    private bool _useMmsg;
    private long _sendErrors;
    private int _disposed;

    // One batch's native scratch: message headers, iovecs, socket addresses.
    private readonly struct Batch
    {
        public readonly LibC.MMsgHdr* Messages;
        public readonly LibC.IoVec* Iov;
        public readonly byte* Names;

        public Batch(int count)
        {
            Messages = (LibC.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(count * sizeof(LibC.MMsgHdr)));
            Iov = (LibC.IoVec*)NativeMemory.AllocZeroed((nuint)(count * sizeof(LibC.IoVec)));
            Names = (byte*)NativeMemory.AllocZeroed((nuint)(count * SockAddrLength));
        }

        public void Free()
        {
            NativeMemory.Free(Messages);
            NativeMemory.Free(Iov);
            NativeMemory.Free(Names);
        }
    }

    private LinuxUdpBind(Socket socket, int batch)
    {
        _socket = socket;
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        _ipv6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        _batch = batch;
        _useMmsg = OperatingSystem.IsLinux();
        _rx = new Batch(batch);
        _tx = new Batch(batch);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Whether recvmmsg/sendmmsg are in use (false after falling back to the managed socket).</summary>
    public bool UsesBatchedSystemCalls => _useMmsg;

    /// <summary>Datagrams the kernel refused to send.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>
    /// Binds a UDP socket to <paramref name="local"/> (IPv6 any is dual-stack) with socket buffers of
    /// <paramref name="bufferBytes"/>; as root the *BUFFORCE options lift the sysctl ceiling.
    /// </summary>
    public static LinuxUdpBind Open(IPEndPoint local, int bufferBytes = 8 << 20, int batchSize = 64)
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
            return new LinuxUdpBind(socket, batchSize);
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
            var n = _useMmsg ? ReceiveBatch(packets[..count]) : ReceiveOne(packets[0]);
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
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.ENOSYS)
            {
                _useMmsg = false;
                return -1;
            }
            if (errno == LibC.EINTR)
                return -1;
            if (errno == LibC.EAGAIN)
                return 0;
            throw new SocketException(errno);
        }
        for (var i = 0; i < n; i++)
        {
            var buffer = packets[i];
            ref var m = ref _rx.Messages[i];
            buffer.Offset = 0;
            // A datagram larger than the buffer was cut short: it cannot be valid, so hand it on empty.
            buffer.Length = (m.Header.Flags & LibC.MSG_TRUNC) != 0 ? 0 : (int)m.Length;
            var nameLength = (int)Math.Min(m.Header.NameLength, SockAddrLength);
            new ReadOnlySpan<byte>(m.Header.Name, nameLength).CopyTo(buffer.Remote.Buffer.Span);
            buffer.Remote.Size = nameLength;
        }
        return n;
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
                SendBatch(chunk);
                packets = packets[chunk.Length..];
            }
        }
    }

    private void SendBatch(ReadOnlySpan<PacketBuffer> packets)
    {
        for (var i = 0; i < packets.Length; i++)
        {
            var buffer = packets[i];
            _tx.Iov[i].Base = Unsafe(buffer.Array) + buffer.Offset;
            _tx.Iov[i].Length = (nuint)buffer.Length;
            ref var h = ref _tx.Messages[i].Header;
            h = default;
            h.Name = _tx.Names + i * SockAddrLength;
            h.NameLength = (uint)WriteSockAddr(buffer.Destination!, new Span<byte>(h.Name, SockAddrLength));
            h.Iov = &_tx.Iov[i];
            h.IovLength = 1;
        }
        var sent = 0;
        while (sent < packets.Length)
        {
            var n = LibC.SendMmsg(_fd, _tx.Messages + sent, (uint)(packets.Length - sent), 0);
            if (n > 0)
            {
                sent += n;
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
                continue;
            // The first remaining datagram failed (unreachable, too big, buffer full): drop it, go on.
            Interlocked.Increment(ref _sendErrors);
            sent++;
        }
    }

    public void SendTo(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        var to = _ipv6 && destination.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(destination.Address.MapToIPv6(), destination.Port)
            : destination;
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
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
    }
}
