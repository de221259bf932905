// RFC 4301 §4.4.1 / RFC 7296 §3.13.1: the inner source addresses an inbound SA may carry.
// RFC 4301 §5.2 step 4: a decrypted tunnel-mode packet whose addresses do not match the
// SA's selectors MUST be discarded — otherwise a client could spoof another's address.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PostureGate.Esp.Sad;

internal sealed class InnerSourceSelector
{
    private readonly (int Version, UInt128 Start, UInt128 End)[] _ranges;

    public InnerSourceSelector(IReadOnlyList<(IPAddress Start, IPAddress End)> ranges)
    {
        _ranges = new (int, UInt128, UInt128)[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            var (start, end) = ranges[i];
            if (start.AddressFamily != end.AddressFamily)
                throw new ArgumentException($"selector {start}-{end} mixes address families", nameof(ranges));
            var version = start.AddressFamily == AddressFamily.InterNetwork ? 4 : 6;
            var (s, e) = (ToNumber(start), ToNumber(end));
            if (s > e)
                throw new ArgumentException($"selector {start}-{end} is empty", nameof(ranges));
            _ranges[i] = (version, s, e);
        }
    }

    public bool Contains(int version, UInt128 address)
    {
        foreach (var (v, start, end) in _ranges)
        {
            if (v == version && address >= start && address <= end)
                return true;
        }
        return false;
    }

    /// <summary>An address as the number InnerPacket reads: IPv4 in the low 32 bits.</summary>
    public static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
