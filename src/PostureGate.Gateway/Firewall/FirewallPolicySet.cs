// The ordered policy list and its verdict for a packet. Immutable: a reload
// builds a new set and swaps it in one reference write.
using System.Buffers.Binary;
using PostureGate.Config.Model;

namespace PostureGate.Gateway.Firewall;

public sealed class FirewallPolicySet(IReadOnlyList<CompiledPolicy> policies)
{
    private long _implicitDenies;

    public IReadOnlyList<CompiledPolicy> Policies { get; } = policies;

    public long ImplicitDenies => Interlocked.Read(ref _implicitDenies);

    /// <summary>The deciding policy (counted), or null for the implicit deny.</summary>
    public CompiledPolicy? Decide(in PacketFacts packet)
    {
        foreach (var p in Policies)
        {
            if (p.Matches(packet))
            {
                p.Hit(packet.Length);
                return p;
            }
        }
        Interlocked.Increment(ref _implicitDenies);
        return null;
    }

    public bool Allows(in PacketFacts packet) => Decide(packet)?.Action == PolicyAction.Accept;

    /// <summary>Reads the facts of an IPv4 packet (RFC 791 header; TCP/UDP destination port). False for anything else.</summary>
    public static bool TryReadIpv4(ReadOnlySpan<byte> packet, string sourceInterface, string? destinationInterface, out PacketFacts facts)
    {
        facts = default;
        if (packet.Length < 20 || packet[0] >> 4 != 4)
            return false;
        var ihl = (packet[0] & 0x0F) * 4;
        if (ihl < 20 || packet.Length < ihl)
            return false;
        var protocol = packet[9];
        ushort port = 0;
        var fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1FFF;
        if (protocol is 6 or 17 or 132 && fragmentOffset == 0 && packet.Length >= ihl + 4)
            port = BinaryPrimitives.ReadUInt16BigEndian(packet[(ihl + 2)..]);
        facts = new PacketFacts(sourceInterface, destinationInterface,
            BinaryPrimitives.ReadUInt32BigEndian(packet[12..]), BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
            protocol, port, packet.Length);
        return true;
    }
}
