// The client's side of the EMS API (FortiClient's role): register with facts,
// report facts again, fetch the signed tag token. The server certificate is
// pinned by its SHA-256 fingerprint, as the gateway's connector pins it.
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

    private readonly HttpClient _http;

    public EmsEnrollment(Uri ems, string? certificateFingerprint, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The EMS certificate is self-signed: trust exactly the pinned one.
                RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                    certificateFingerprint is null ? errors == SslPolicyErrors.None : cert is not null && Matches(certificateFingerprint, cert),
            },
        };
        _http = new HttpClient(handler) { BaseAddress = ems, Timeout = timeout };
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

    /// <summary>The token, or null when the EMS has "Enable ZTNA Token" off.</summary>
    public async Task<EmsToken?> FetchTokenAsync(string uid, string? tunnel, CancellationToken ct)
    {
        var url = $"/api/v1/endpoints/{uid}/token" + (tunnel is null ? "" : $"?tunnel={Uri.EscapeDataString(tunnel)}");
        using var response = await _http.GetAsync(url, ct).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.Conflict)
            return null;
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound && tunnel is not null)
            return await FetchTokenAsync(uid, null, ct).ConfigureAwait(false); // no profile for this tunnel: all tags
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
        throw new EmsEnrollmentException($"EMS {what}: HTTP {(int)response.StatusCode} {detail}");
    }

    public void Dispose() => _http.Dispose();
}

public sealed class EmsEnrollmentException(string message) : Exception(message);
