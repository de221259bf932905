// The EMS HTTPS API paths and who may call each (invitation, mutual-TLS endpoint certificate, bearer key) — PostureGate's own API.
namespace PostureGate.Ems;

/// <summary>The EMS HTTPS API paths (the full description is served at <see cref="OpenApi"/>).
/// Enrollment needs an invitation code (or an admin's approval); every other client route needs
/// the endpoint certificate enrollment gave (mutual TLS), and acts on that endpoint only.
/// Gateway and admin routes need `Authorization: Bearer &lt;api key&gt;`.</summary>
public static class EmsApiRoutes
{
    // Enrollment: CSR + invitation code → endpoint certificate; renewal with the current certificate.
    public const string Enroll = "/api/v1/enroll";
    public const string Renew = "/api/v1/enroll/renew";

    // For enrolled clients (FortiClient's role), with their certificate.
    public const string Register = "/api/v1/endpoints";
    public const string ReportFacts = "/api/v1/endpoints/{uid}/facts";
    public const string Token = "/api/v1/endpoints/{uid}/token";
    public const string Profiles = "/api/v1/endpoints/{uid}/profiles";

    // For gateways (FortiGate's EMS connector): gateway or admin key.
    public const string Info = "/api/v1/gateway/info";
    public const string Snapshot = "/api/v1/gateway/snapshot";
    public const string Changes = "/api/v1/gateway/changes";
    public const string EndpointByUid = "/api/v1/gateway/endpoints/uid/{uid}";
    public const string EndpointByIp = "/api/v1/gateway/endpoints/ip/{ip}";
    public const string Jwks = "/api/v1/gateway/jwks";
    /// <summary>The same JWKS without a key: public keys are public.</summary>
    public const string WellKnownJwks = "/.well-known/jwks.json";

    // For admins: admin key.
    public const string AdminEndpoints = "/api/v1/admin/endpoints";
    public const string AdminEndpoint = "/api/v1/admin/endpoints/{uid}";
    public const string AdminEndpointTag = "/api/v1/admin/endpoints/{uid}/tags/{tag}";
    public const string AdminTags = "/api/v1/admin/tags";
    public const string AdminTag = "/api/v1/admin/tags/{name}";
    public const string AdminTagRule = "/api/v1/admin/tags/{name}/rule";
    public const string AdminTokenSettings = "/api/v1/admin/settings/token";
    public const string AdminProfiles = "/api/v1/admin/profiles";
    public const string AdminProfile = "/api/v1/admin/profiles/{name}";
    public const string AdminRotateKey = "/api/v1/admin/keys/rotate";

    public const string OpenApi = "/openapi/v1.json";

    /// <summary>Fills `{uid}`-style placeholders.</summary>
    public static string Format(string route, params (string Name, string Value)[] values)
    {
        foreach (var (name, value) in values)
            route = route.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        return route;
    }
}
