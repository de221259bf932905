// Builds FortiOS `config user local` and `config user group` into the model; only what PostureGate implements is accepted.
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private OrderedMap<LocalUser> _users = new();
    private OrderedMap<UserGroup> _groups = new();

    private LocalUser? BuildUser(BoundEntry e)
    {
        var ok = true;
        CheckUserImplemented(e, ref ok);
        var type = Enum<LocalUserType>(e, UserLocalSchema.Type);
        if (type == LocalUserType.Password)
            Require(e, UserLocalSchema.Passwd, " for 'type password'", ref ok);
        if (!ok)
            return null;
        return new LocalUser
        {
            Span = e.Span,
            Name = e.Name!,
            Type = type,
            Password = SecretOf(e, UserLocalSchema.Passwd),
            Enabled = Bool(e, UserLocalSchema.Status),
            Email = Str(e, UserLocalSchema.Email),
        };
    }

    private UserGroup? BuildUserGroup(BoundEntry e)
    {
        var ok = true;
        var names = List<string>(e, UserGroupSchema.Member);
        var members = new LocalUser[names.Count];
        for (var i = 0; i < names.Count; i++)
            members[i] = Resolve(_users, UserLocalSchema.Table, names[i], e.SpanOfValue(UserGroupSchema.Member, i), "user", ref ok)!;
        return ok ? new UserGroup { Span = e.Span, Name = e.Name!, Members = new ValueList<LocalUser>(members) } : null;
    }
}
