// FortiOS CLI reference, `config user group`: the local users a phase1's `authusrgrp` lets authenticate.
namespace PostureGate.Config.Model;

/// <summary><c>config user group</c>: who may authenticate on a phase1 with <c>authusrgrp</c>.</summary>
public sealed record UserGroup : ConfigObject, IKeyed
{
    public required string Name { get; init; }
    public required ValueList<LocalUser> Members { get; init; }

    public LocalUser? FindMember(string userName) => Members.FirstOrDefault(u => u.Name == userName);

    string IKeyed.Key => Name;
}
