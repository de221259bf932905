// The facts of one decrypted packet and its path that the firewall policies match on
// (srcintf, dstintf, srcaddr, dstaddr, service).
namespace PostureGate.Gateway.Firewall;

/// <summary>What the policy engine needs from a packet and its path.</summary>
public readonly record struct PacketFacts(
    string SourceInterface,
    string? DestinationInterface,
    uint Source,
    uint Destination,
    byte Protocol,
    ushort DestinationPort,
    int Length);
