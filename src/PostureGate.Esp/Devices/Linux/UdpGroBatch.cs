// The receive side of UDP GRO (udp(7) UDP_GRO; Documentation/networking/segmentation-offloads.rst):
// with the option on, the kernel may hand over several datagrams of one flow as a single buffer
// of up to 64 KiB, naming the datagram size in a SOL_UDP/UDP_GRO control message. recvmmsg
// fills native 64 KiB buffers allocated once; Drain cuts each into its datagrams and copies them
// into the caller's PacketBuffers. What does not fit stays here and goes out first on the next
// Drain, so nothing is lost and the order is kept. Used by the one receiving thread only.
// How many buffers one recvmmsg asks for follows what the last call brought: many when
// datagrams come one per buffer (many peers), few when they come coalesced, so the scratch
// touched per call stays small and in cache (wireguard-go reads only two when GRO is on).
using System.Runtime.InteropServices;

namespace PostureGate.Esp.Devices.Linux;

internal sealed unsafe class UdpGroBatch : IDisposable
{
    /// <summary>Room for the largest coalesced buffer the kernel builds (64 KiB).</summary>
    public const int BufferLength = 1 << 16;

    private readonly int _count;
    private readonly LibC.MMsgHdr* _messages;
    private readonly LibC.IoVec* _iov;
    private readonly byte* _names;
    private readonly byte* _control;
    private readonly byte* _buffers;
    private readonly int[] _segmentSizes;
    private int _received;
    private int _next;
    private int _offset;
    private int _datagramsPerBuffer = 1;

    public UdpGroBatch(int count)
    {
        _count = count;
        _messages = (LibC.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(count * sizeof(LibC.MMsgHdr)));
        _iov = (LibC.IoVec*)NativeMemory.AllocZeroed((nuint)(count * sizeof(LibC.IoVec)));
        _names = (byte*)NativeMemory.AllocZeroed((nuint)(count * LinuxUdpBind.SockAddrLength));
        _control = (byte*)NativeMemory.AllocZeroed((nuint)(count * UdpGsoControl.ReceiveSpace));
        _buffers = (byte*)NativeMemory.Alloc((nuint)count * BufferLength);
        _segmentSizes = new int[count];
        for (var i = 0; i < count; i++)
        {
            _iov[i].Base = _buffers + (nint)i * BufferLength;
            _iov[i].Length = BufferLength;
        }
    }

    /// <summary>Whether datagrams of an earlier receive still wait to be drained.</summary>
    public bool HasPending => _next < _received;

    /// <summary>
    /// recvmmsg(2) of enough buffers for about <paramref name="room"/> datagrams, without waiting;
    /// returns its result (errno in Marshal.GetLastPInvokeError when negative). Call only when
    /// nothing is pending.
    /// </summary>
    public int Receive(int fd, int room)
    {
        var count = Math.Clamp((room + _datagramsPerBuffer - 1) / _datagramsPerBuffer, 1, _count);
        for (var i = 0; i < count; i++)
        {
            ref var h = ref _messages[i].Header;
            // The kernel overwrites the lengths and flags of each header, so all are set afresh.
            h.Name = _names + i * LinuxUdpBind.SockAddrLength;
            h.NameLength = LinuxUdpBind.SockAddrLength;
            h.Iov = &_iov[i];
            h.IovLength = 1;
            h.Control = _control + i * UdpGsoControl.ReceiveSpace;
            h.ControlLength = (nuint)UdpGsoControl.ReceiveSpace;
            h.Flags = 0;
        }
        var n = LibC.RecvMmsg(fd, _messages, (uint)count, LibC.MSG_DONTWAIT, null);
        if (n > 0)
        {
            var datagrams = 0;
            for (var i = 0; i < n; i++)
            {
                ref var h = ref _messages[i].Header;
                var segment = UdpGsoControl.ReadGroSize((byte*)h.Control, (int)h.ControlLength);
                _segmentSizes[i] = segment;
                var length = (int)_messages[i].Length;
                datagrams += segment > 0 && length > segment ? (length + segment - 1) / segment : 1;
            }
            _datagramsPerBuffer = Math.Max(1, datagrams / n);
            _received = n;
            _next = 0;
            _offset = 0;
        }
        return n;
    }

    /// <summary>Copies pending datagrams into <paramref name="packets"/> (Offset 0); returns how many.</summary>
    public int Drain(Span<PacketBuffer> packets)
    {
        var filled = 0;
        while (filled < packets.Length && _next < _received)
        {
            ref var m = ref _messages[_next];
            var total = (int)m.Length;
            var segment = _segmentSizes[_next];
            var buffer = packets[filled++];
            buffer.Offset = 0;
            LinuxUdpBind.SetRemote(buffer, m.Header.Name, m.Header.NameLength);
            if ((m.Header.Flags & LibC.MSG_TRUNC) != 0)
            {
                // Cut short by the kernel: cannot be valid, handed on empty as without GRO.
                buffer.Length = 0;
                Advance();
                continue;
            }
            var length = segment > 0 ? Math.Min(segment, total - _offset) : total;
            // A datagram longer than the caller's buffer is handed on empty, as MSG_TRUNC would have it.
            buffer.Length = length <= buffer.Array.Length ? length : 0;
            if (buffer.Length > 0)
                new ReadOnlySpan<byte>(_buffers + (nint)_next * BufferLength + _offset, length).CopyTo(buffer.Array);
            _offset += length;
            if (_offset >= total)
                Advance();
        }
        return filled;
    }

    private void Advance()
    {
        _next++;
        _offset = 0;
    }

    public void Dispose()
    {
        NativeMemory.Free(_messages);
        NativeMemory.Free(_iov);
        NativeMemory.Free(_names);
        NativeMemory.Free(_control);
        NativeMemory.Free(_buffers);
    }
}
