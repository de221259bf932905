using System.Net;

namespace PostureGate.Posture;

/// <summary>A tag as a firewall dynamic address: what it resolves to now.</summary>
public sealed record DynamicAddress(DynamicAddressName Name, int Id, IReadOnlyList<IPAddress> Addresses, IReadOnlyList<string> Macs);
