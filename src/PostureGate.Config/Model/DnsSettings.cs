using System.Net;

namespace PostureGate.Config.Model;

/// <summary><c>config system dns</c>: what <c>dns-mode auto</c> hands to clients.</summary>
public sealed record DnsSettings : ConfigObject
{
    public required IPAddress Primary { get; init; }
    public required IPAddress Secondary { get; init; }
}
