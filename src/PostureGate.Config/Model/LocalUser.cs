// FortiOS CLI reference, `config user local`: one EAP user (RFC 7296 §2.16) with its password.
namespace PostureGate.Config.Model;

/// <summary><c>config user local</c>: an EAP user.</summary>
public sealed record LocalUser : ConfigObject, IKeyed
{
    public required string Name { get; init; }
    public required LocalUserType Type { get; init; }
    public Secret? Password { get; init; }
    public required bool Enabled { get; init; }
    public string? Email { get; init; }

    string IKeyed.Key => Name;
}
