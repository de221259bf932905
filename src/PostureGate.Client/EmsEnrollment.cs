// The client's side of the EMS API (FortiClient's role): enroll (CSR + invitation code → the
// device certificate), renew it, then — authenticated by that certificate (mutual TLS) —
// register with facts, report facts again, fetch the signed tag token. The server certificate
// is pinned by its SHA-256 fingerprint, as the gateway's connector pins it.
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PostureGate.Client;

public sealed record EmsRegistration(string Uid, string EmsSerial, string TenantId, IReadOnlyList<string> Tags, bool TokenEnabled, int TokenRefreshSeconds);

public sealed record EmsToken(string Token, string Kid, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAt);

public sealed class EmsEnrollment : IDisposable
{
    // The EMS API speaks snake_case JSON (docs/protocol.md).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // Enrollment goes without a client certificate, everything else with one: TLS presents the
    // certificate per connection, so the two never share pooled connections.
    private readonly HttpClient _anonymous;
    private readonly HttpClient _http;

    public EmsEnrollment(Uri ems, string? certificateFingerprint, TimeSpan timeout, DeviceCredentials? device = null)
    {
        _anonymous = new HttpClient(Handler(certificateFingerprint, null)) { BaseAddress = ems, Timeout = timeout };
        _http = new HttpClient(Handler(certificateFingerprint, device)) { BaseAddress = ems, Timeout = timeout };
    }

    private static SocketsHttpHandler Handler(string? certificateFingerprint, DeviceCredentials? device) => new()
    {
        // A renewed certificate is taken up by new connections.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        SslOptions = new SslClientAuthenticationOptions
        {
            // The EMS certificate is self-signed: trust exactly the pinned one.
            RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                certificateFingerprint is null ? errors == SslPolicyErrors.None : cert is not null && Matches(certificateFingerprint, cert),
            LocalCertificateSelectionCallback = device is null ? null : (_, _, _, _, _) => device.Certificate!,
        },
    };

    /// <summary>POST /api/v1/enroll: the device's CSR with the invitation code (or none, to wait for
    /// an admin's approval). The certificate is kept in <paramref name="device"/>'s files.</summary>
    public async Task EnrollAsync(DeviceCredentials device, string? inviteCode, CancellationToken ct)
    {
        var body = new Dictionary<string, string?> { ["uid"] = device.Uid, ["csr"] = device.CreateSigningRequestPem(), ["invite"] = inviteCode };
        using var response = await _anonymous.PostAsJsonAsync("/api/v1/enroll", body, Json, ct).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
            throw new EmsEnrollmentException(
                $"enrollment of {device.Uid} is waiting for an admin: pgate ems endpoint approve {device.Uid} (key SHA-256 {device.PublicKeySha256})");
        await EnsureAsync(response, inviteCode is null ? "enroll (no invitation code given: --invite)" : "enroll", ct).ConfigureAwait(false);
        await StoreAsync(device, response, ct).ConfigureAwait(false);
    }

    /// <summary>POST /api/v1/enroll/renew with the current certificate: a new one for the same key.</summary>
    public async Task RenewAsync(DeviceCredentials device, CancellationToken ct)
    {
        var body = new Dictionary<string, string> { ["csr"] = device.CreateSigningRequestPem() };
        using var response = await _http.PostAsJsonAsync("/api/v1/enroll/renew", body, Json, ct).ConfigureAwait(false);
        await EnsureAsync(response, "renew the device certificate", ct).ConfigureAwait(false);
        await StoreAsync(device, response, ct).ConfigureAwait(false);
    }

    private static async Task StoreAsync(DeviceCredentials device, HttpResponseMessage response, CancellationToken ct)
    {
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct).ConfigureAwait(false);
        if (answer.ValueKind != JsonValueKind.Object || answer.TryGetProperty("certificate", out var certificate) is false
            || certificate.GetString() is not { } pem || !answer.TryGetProperty("ca_certificate", out var ca) || ca.GetString() is not { } caPem)
            throw new EmsEnrollmentException("EMS enroll: the answer holds no certificate");
        try
        {
            device.Store(pem, caPem);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new EmsEnrollmentException($"EMS enroll: the certificate is not usable: {e.Message}");
        }
    }

    internal static bool Matches(string fingerprint, X509Certificate cert)
    {
        var expected = Convert.FromHexString(fingerprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal));
        var actual = SHA256.HashData(cert.GetRawCertData());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    public async Task<EmsRegistration> RegisterAsync(MachineFacts facts, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("/api/v1/endpoints", facts.ToReport(), Json, ct).ConfigureAwait(false);
        await EnsureAsync(response, "register", ct).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct).ConfigureAwait(false);
        var tokens = body.TryGetProperty("token_settings", out var ts) ? ts : default;
        return new EmsRegistration(
            body.GetProperty("uid").GetString()!,
            body.GetProperty("ems_sn").GetString()!,
            body.TryGetProperty("ems_tenant_id", out var t) ? t.GetString() ?? "" : "",
            TagNames(body),
            tokens.ValueKind == JsonValueKind.Object && tokens.TryGetProperty("enabled", out var en) && en.ValueKind == JsonValueKind.True,
            tokens.ValueKind == JsonValueKind.Object && tokens.TryGetProperty("refresh", out var rf) && rf.TryGetInt32(out var r) ? r : 300);
    }

    public async Task<IReadOnlyList<string>> ReportAsync(MachineFacts facts, CancellationToken ct)
    {
        using var response = await _http.PutAsJsonAsync($"/api/v1/endpoints/{facts.Uid}/facts", facts.ToReport(), Json, ct).ConfigureAwait(false);
        await EnsureAsync(response, "report facts", ct).ConfigureAwait(false);
        return TagNames(await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// The token, or null when the EMS has "Enable ZTNA Token" off. <paramref name="bound"/>: bound (RFC 7800 cnf)
    /// to this device's certificate, for a client that proves it in IKE (--device-cert); else the unbound
    /// FortiClient shape, since a gateway accepts a bound token only from the peer that proved its certificate.
    /// </summary>
    public async Task<EmsToken?> FetchTokenAsync(string uid, string? tunnel, bool bound, CancellationToken ct)
    {
        var url = $"/api/v1/endpoints/{uid}/token?binding=" + (bound ? "device-certificate" : "none") + (tunnel is null ? "" : $"&tunnel={Uri.EscapeDataString(tunnel)}");
        using var response = await _http.GetAsync(url, ct).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.Conflict)
            return null;
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound && tunnel is not null)
            return await FetchTokenAsync(uid, null, bound, ct).ConfigureAwait(false); // no profile for this tunnel: all tags
        await EnsureAsync(response, "fetch token", ct).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct).ConfigureAwait(false);
        return new EmsToken(
            body.GetProperty("token").GetString()!,
            body.GetProperty("kid").GetString()!,
            DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("iat").GetInt64()),
            DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("exp").GetInt64()),
            DateTimeOffset.FromUnixTimeSeconds(body.GetProperty("refresh_at").GetInt64()));
    }

    private static IReadOnlyList<string> TagNames(JsonElement body) =>
        body.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.Object ? t.GetProperty("name").GetString()! : t.GetString()!).ToArray()
            : [];

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return;
        var detail = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        // An RFC 7807 problem: its `detail` is the reason; anything else is shown as it came (bounded).
        try
        {
            using var problem = JsonDocument.Parse(detail);
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var reason) && reason.ValueKind == JsonValueKind.String)
                detail = reason.GetString()!;
        }
        catch (JsonException)
        {
        }
        if (detail.Length > 300)
            detail = detail[..300];
        throw new EmsEnrollmentException($"EMS {what}: HTTP {(int)response.StatusCode} {detail}",
            refused: response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden);
    }

    public void Dispose()
    {
        _anonymous.Dispose();
        _http.Dispose();
    }
}

public sealed class EmsEnrollmentException(string message, bool refused = false) : Exception(message)
{
    /// <summary>The EMS answered and said no (401/403: not enrolled, revoked, bad invitation) — not an outage.</summary>
    public bool Refused { get; } = refused;
}
