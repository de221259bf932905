// The EMS gateway API as PostureGate.Ems serves it (EmsApiRoutes there; repeated here because
// the gateway must not depend on the EMS assembly). Auth: `Authorization: Bearer <api key>`.
namespace PostureGate.Posture;

internal static class EmsApiPaths
{
    public const string Snapshot = "/api/v1/gateway/snapshot";
    /// <summary>Server-Sent Events; `?since=N` or Last-Event-ID resumes after version N.</summary>
    public const string Changes = "/api/v1/gateway/changes";
    public const string EndpointByUid = "/api/v1/gateway/endpoints/uid/";
    public const string EndpointByIp = "/api/v1/gateway/endpoints/ip/";
    public const string Jwks = "/api/v1/gateway/jwks";

    public const string EndpointRegistered = "endpoint.registered";
    public const string EndpointUpdated = "endpoint.updated";
    public const string EndpointDeleted = "endpoint.deleted";
    public const string TagDefined = "tag.defined";
    public const string TagDeleted = "tag.deleted";
    public const string KeyRotated = "key.rotated";
    public const string CertificateRevoked = "certificate.revoked";
}
