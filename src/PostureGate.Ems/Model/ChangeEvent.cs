// One row of the EMS change log, and the change kinds sent as the SSE `event:` field (WHATWG HTML §9.2) — PostureGate's own.
namespace PostureGate.Ems.Model;

/// <summary>One row of the change log; <see cref="Data"/> is the JSON state after the change.</summary>
public sealed record ChangeEvent(long Version, long At, string Kind, string Subject, string Data);

/// <summary>The change kinds (the SSE `event:` field).</summary>
public static class ChangeKinds
{
    public const string EndpointRegistered = "endpoint.registered";
    public const string EndpointUpdated = "endpoint.updated";
    /// <summary>
    /// Certificates of the endpoint CA revoked (`pgate ems endpoint revoke`): data {"uid", "serials": [hex]}.
    /// Gateways refuse them in IKE_AUTH from then on and delete the tunnels they authenticated.
    /// </summary>
    public const string CertificateRevoked = "certificate.revoked";
    /// <summary>The endpoint is gone (revoked): gateways drop it and re-judge its tunnels.</summary>
    public const string EndpointDeleted = "endpoint.deleted";
    public const string TagDefined = "tag.defined";
    public const string TagDeleted = "tag.deleted";
    public const string SettingsChanged = "settings.token";
    public const string ProfileSet = "profile.set";
    public const string ProfileRemoved = "profile.removed";
    public const string KeyRotated = "key.rotated";
}
