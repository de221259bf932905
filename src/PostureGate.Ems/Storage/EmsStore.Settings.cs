// EMS Settings (ZTNA token) and Remote Access profiles.
using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Storage;

public sealed partial class EmsStore
{
    private const string TokenEnabledKey = "token.enabled";
    private const string TokenLifetimeKey = "token.lifetime";
    private const string TokenRefreshKey = "token.refresh";

    public TokenSettings GetTokenSettings()
    {
        using var connection = Database.Open();
        return ReadTokenSettings(connection, null);
    }

    /// <summary>Sets the token settings; null fields keep their value.</summary>
    public EmsResult SetTokenSettings(bool? enabled, int? lifetimeSeconds, int? refreshSeconds)
    {
        var now = Now;
        return Write((connection, tx) =>
        {
            var current = ReadTokenSettings(connection, tx);
            var next = new TokenSettings(enabled ?? current.Enabled, lifetimeSeconds ?? current.LifetimeSeconds, refreshSeconds ?? current.RefreshSeconds);
            if (next.Validate() is { } problem)
                return EmsResult.Fail(EmsOutcome.Invalid, problem);
            if (next == current)
                return new EmsResult(EmsOutcome.Unchanged, null, ReadVersion(connection, tx));
            WriteMeta(connection, tx, TokenEnabledKey, next.Enabled ? "1" : "0");
            WriteMeta(connection, tx, TokenLifetimeKey, next.LifetimeSeconds.ToString(CultureInfo.InvariantCulture));
            WriteMeta(connection, tx, TokenRefreshKey, next.RefreshSeconds.ToString(CultureInfo.InvariantCulture));
            var data = JsonSerializer.Serialize(new { enabled = next.Enabled, lifetime = next.LifetimeSeconds, refresh = next.RefreshSeconds });
            return new EmsResult(EmsOutcome.Ok, null, AppendChange(connection, tx, now, ChangeKinds.SettingsChanged, "token", data));
        });
    }

    internal static TokenSettings ReadTokenSettings(DbConnection connection, DbTransaction? tx)
    {
        var defaults = TokenSettings.Default;
        var enabled = ReadMeta(connection, tx, TokenEnabledKey);
        var lifetime = ReadMeta(connection, tx, TokenLifetimeKey);
        var refresh = ReadMeta(connection, tx, TokenRefreshKey);
        return new TokenSettings(
            enabled is null ? defaults.Enabled : enabled == "1",
            lifetime is null ? defaults.LifetimeSeconds : int.Parse(lifetime, CultureInfo.InvariantCulture),
            refresh is null ? defaults.RefreshSeconds : int.Parse(refresh, CultureInfo.InvariantCulture));
    }

    public IReadOnlyList<RemoteAccessProfile> ListProfiles()
    {
        using var connection = Database.Open();
        using var command = Command(connection, null, "SELECT name, gateway, tags FROM profiles ORDER BY name;");
        using var reader = command.ExecuteReader();
        var list = new List<RemoteAccessProfile>();
        while (reader.Read())
            list.Add(new RemoteAccessProfile(reader.GetString(0), reader.GetString(1), JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? []));
        return list;
    }

    public EmsResult SetProfile(RemoteAccessProfile profile)
    {
        if (!TagDefinition.IsValidName(profile.Name))
            return EmsResult.Fail(EmsOutcome.Invalid, "profile name must be 1-64 letters, digits, '_', '-' or '.'");
        if (string.IsNullOrWhiteSpace(profile.Gateway) || profile.Gateway.Length > 255 || profile.Gateway.Any(char.IsControl))
            return EmsResult.Fail(EmsOutcome.Invalid, "gateway must be a host name or address (at most 255 characters)");
        if (profile.Tags.FirstOrDefault(t => !TagDefinition.IsValidName(t)) is { } bad)
            return EmsResult.Fail(EmsOutcome.Invalid, $"'{bad}' is not a valid tag name");
        var now = Now;
        return Write((connection, tx) =>
        {
            var tags = JsonSerializer.Serialize(profile.Tags.Distinct(StringComparer.Ordinal).ToArray());
            using var existing = Command(connection, tx, "SELECT gateway, tags FROM profiles WHERE name = $n;", ("$n", profile.Name));
            using (var reader = existing.ExecuteReader())
            {
                if (reader.Read() && reader.GetString(0) == profile.Gateway && reader.GetString(1) == tags)
                    return new EmsResult(EmsOutcome.Unchanged, null, ReadVersion(connection, tx));
            }
            Exec(connection, tx, """
                INSERT INTO profiles(name, gateway, tags) VALUES ($n, $g, $t)
                ON CONFLICT(name) DO UPDATE SET gateway = excluded.gateway, tags = excluded.tags;
                """, ("$n", profile.Name), ("$g", profile.Gateway), ("$t", tags));
            var data = JsonSerializer.Serialize(new { name = profile.Name, gateway = profile.Gateway, tags = profile.Tags });
            return new EmsResult(EmsOutcome.Ok, null, AppendChange(connection, tx, now, ChangeKinds.ProfileSet, profile.Name, data));
        });
    }

    public EmsResult RemoveProfile(string name)
    {
        var now = Now;
        return Write((connection, tx) =>
        {
            if (Exec(connection, tx, "DELETE FROM profiles WHERE name = $n;", ("$n", name)) == 0)
                return EmsResult.Fail(EmsOutcome.NotFound, $"no profile '{name}'");
            return new EmsResult(EmsOutcome.Ok, null, AppendChange(connection, tx, now, ChangeKinds.ProfileRemoved, name, JsonSerializer.Serialize(new { name })));
        });
    }
}
