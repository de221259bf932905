// A network interface of the machine PostureGate runs on: its name and addresses.
using System.Net;

namespace PostureGate.Config.Host;

/// <summary>A network interface of the machine PostureGate runs on.</summary>
public sealed record HostInterface(string Name, IReadOnlyList<IPAddress> Addresses);
