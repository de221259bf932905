// Which packets of a send batch can leave as one UDP GSO message (udp(7) UDP_SEGMENT;
// Documentation/networking/segmentation-offloads.rst "UDP GSO"): consecutive datagrams to the
// same destination, all of the segment size except possibly a shorter last one, because the
// kernel cuts the message at every segment-size boundary and nowhere else.
namespace PostureGate.Esp.Devices.Linux;

internal static class UdpGsoRun
{
    /// <summary>UDP_MAX_SEGMENTS of Linux 4.18 (include/linux/udp.h); later kernels allow more, none fewer.</summary>
    public const int MaxSegments = 64;

    /// <summary>The largest UDP payload in one IPv4 datagram: 65535 − 20 (IP header) − 8 (UDP header).</summary>
    public const int MaxPayload = 65507;

    /// <summary>How many packets from the start of <paramref name="packets"/> form one message (at least 1).</summary>
    public static int Length(ReadOnlySpan<PacketBuffer> packets)
    {
        var first = packets[0];
        var segment = first.Length;
        // An empty datagram cannot be a segment: the kernel would cut nothing for it and it would vanish.
        if (segment == 0)
            return 1;
        var total = segment;
        var count = 1;
        while (count < packets.Length && count < MaxSegments)
        {
            var next = packets[count];
            if (next.Length == 0 || next.Length > segment || total + next.Length > MaxPayload
                || !SameDestination(first.Destination, next.Destination))
                break;
            total += next.Length;
            count++;
            if (next.Length < segment)
                break; // a shorter datagram can only be the last segment
        }
        return count;
    }

    private static bool SameDestination(System.Net.IPEndPoint? a, System.Net.IPEndPoint? b) =>
        ReferenceEquals(a, b) || (a is not null && a.Equals(b));
}
