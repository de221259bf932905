// A VPN tunnel the EMS pushes to clients, with the tags sent to that gateway (FortiClient EMS: Endpoint Profiles > Remote Access).
namespace PostureGate.Ems.Model;

/// <summary>A VPN tunnel pushed to clients, with the tags the client sends to that gateway
/// (EMS: Endpoint Profiles &gt; Remote Access &gt; VPN Tunnels &gt; Advanced Settings).</summary>
public sealed record RemoteAccessProfile(string Name, string Gateway, IReadOnlyList<string> Tags);
