// Request and response bodies of the HTTPS API (JSON, snake_case; unknown members are refused).
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Api;

public sealed record RegistrationResponse(
    string Uid,
    string EmsSn,
    string EmsTenantId,
    long Version,
    string ZtnaCertSn,
    IReadOnlyList<TagRef> Tags,
    TokenSettingsBody TokenSettings,
    IReadOnlyList<RemoteAccessProfile> Profiles);

public sealed record ReportResponse(string Uid, long Version, IReadOnlyList<TagRef> Tags);

public sealed record TokenResponse(string Token, string Kid, long Iat, long Exp, long RefreshAt);

public sealed record VersionResponse(long Version, bool Changed);

public sealed record InfoResponse(string EmsSn, string EmsTenantId, long Version, string CertificateFingerprint);

public sealed record TagTypeRequest(int? Type);

public sealed record RuleRequest(string? Expression, int? Type);

public sealed record TokenSettingsBody(bool? Enabled, int? Lifetime, int? Refresh);

public sealed record ProfileRequest(string? Gateway, IReadOnlyList<string>? Tags);

public sealed record RotateResponse(string Kid, long Version);

public sealed record EnrollRequest(string? Uid, string? Csr, string? Invite);

public sealed record RenewRequest(string? Csr);

/// <summary>The endpoint's certificate (PEM), the endpoint CA's (PEM); `serial` is the token's `ztna_cert_sn`.</summary>
public sealed record EnrollResponse(string Uid, string Serial, string Certificate, string CaCertificate, long NotAfter);

public sealed record PendingResponse(string Uid, string Status, string Detail);
