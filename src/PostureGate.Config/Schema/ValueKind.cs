// The value types of FortiOS CLI attributes PostureGate understands (string, list, secret, integer, enum, address…).
namespace PostureGate.Config.Schema;

/// <summary>The value types of FortiOS CLI attributes that PostureGate understands.</summary>
internal enum ValueKind : byte
{
    /// <summary>One word or quoted string (names, references, free text).</summary>
    String,
    /// <summary>One or more strings (<c>set member "a" "b"</c>).</summary>
    StringList,
    /// <summary>A password or key: kept in a <see cref="Model.Secret"/>, printed masked.</summary>
    Secret,
    /// <summary>A dotted-quad IPv4 address.</summary>
    Ipv4,
    /// <summary>An address with prefix: <c>a.b.c.d m.m.m.m</c> (as FortiOS prints) or <c>a.b.c.d/n</c>.</summary>
    Ipv4Prefix,
    /// <summary>A contiguous dotted-quad netmask.</summary>
    Netmask,
    Integer,
    /// <summary>One word of a fixed set, mapped to a C# enum.</summary>
    Enum,
    /// <summary><c>enable</c> / <c>disable</c>.</summary>
    Toggle,
    /// <summary>FortiOS phase 1 proposal names (PostureGate.Proposals' one table).</summary>
    Phase1Proposals,
    /// <summary>FortiOS phase 2 proposal names.</summary>
    Phase2Proposals,
    /// <summary>Diffie-Hellman group numbers the IKE layer implements.</summary>
    DhGroups,
}
