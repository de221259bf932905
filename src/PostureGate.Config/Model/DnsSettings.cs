// FortiOS CLI reference, `config system dns`: the servers `dns-mode auto` hands to clients; no FortiGuard default (issue 13).
using System.Net;

namespace PostureGate.Config.Model;

/// <summary>
/// <c>config system dns</c>: what <c>dns-mode auto</c> hands to clients. Each is null
/// when not configured (no FortiGuard default: see Schema/SystemSchemas.cs).
/// </summary>
public sealed record DnsSettings : ConfigObject
{
    public IPAddress? Primary { get; init; }
    public IPAddress? Secondary { get; init; }

    /// <summary>The configured servers, primary first.</summary>
    public IReadOnlyList<IPAddress> Servers => new[] { Primary, Secondary }.OfType<IPAddress>().ToArray();
}
