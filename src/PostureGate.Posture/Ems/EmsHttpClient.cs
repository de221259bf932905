// HTTPS client for one EMS. Trust is the pinned certificate fingerprint alone (SHA-256 of the
// DER certificate, compared in constant time; no chain, no host name), as FortiOS pins the EMS
// with `certificate-fingerprint`. Every query is bounded by call-timeout; every failure —
// refused, TLS mismatch, HTTP error, timeout, unparsable body — is reported as Unreachable.
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace PostureGate.Posture;

public sealed class EmsHttpClient : IEmsClient
{
    private const int MaxLookupBytes = 1024 * 1024;
    private const int MaxEventLineChars = 1024 * 1024;
    private static readonly JsonDocumentOptions Json = new() { MaxDepth = 16 };

    private readonly EmsConnectorSettings _settings;
    private readonly HttpClient _http;
    // The EMS's own serial and tenant, learned from the snapshot, for records from lookups and pushes.
    private string? _serial;
    private string? _tenant;

    public EmsHttpClient(EmsConnectorSettings settings)
    {
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.CallTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => FingerprintMatches(settings.CertificateFingerprint, certificate),
            },
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = settings.BaseUri,
            // Each call sets its own bound; the stream has none.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
    }

    /// <summary>SHA-256 of the DER certificate against the configured hex (':' and case ignored), in constant time.</summary>
    public static bool FingerprintMatches(string expected, X509Certificate? certificate)
    {
        if (certificate is null)
            return false;
        var hex = expected.Replace(":", "", StringComparison.Ordinal).Trim();
        Span<byte> want = stackalloc byte[SHA256.HashSizeInBytes];
        if (hex.Length != want.Length * 2 || !hex.AsSpan().ContainsOnlyHex()
            || Convert.FromHexString(hex, want, out _, out var written) != System.Buffers.OperationStatus.Done || written != want.Length)
            return false;
        Span<byte> have = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(certificate.GetRawCertData(), have);
        return CryptographicOperations.FixedTimeEquals(want, have);
    }

    public Task<EmsResult<EmsSnapshot>> GetSnapshotAsync(CancellationToken cancellationToken) =>
        QueryAsync(EmsApiPaths.Snapshot, _settings.MaxSnapshotBytes, ReadSnapshotAsync, cancellationToken, _settings.SnapshotTimeout);

    public Task<EmsResult<string>> GetJwksAsync(CancellationToken cancellationToken) =>
        QueryAsync(EmsApiPaths.Jwks, PinnedKeyStore.MaxJwksBytes, ReadTextAsync, cancellationToken);

    public Task<EmsResult<EndpointEntry>> LookupByUidAsync(string uid, CancellationToken cancellationToken) =>
        QueryAsync(EmsApiPaths.EndpointByUid + Uri.EscapeDataString(uid), MaxLookupBytes, ReadEndpointAsync, cancellationToken);

    public Task<EmsResult<EndpointEntry>> LookupByIpAsync(IPAddress ip, CancellationToken cancellationToken) =>
        QueryAsync(EmsApiPaths.EndpointByIp + Uri.EscapeDataString(ip.ToString()), MaxLookupBytes, ReadEndpointAsync, cancellationToken);

    public async IAsyncEnumerable<EmsChange> StreamChangesAsync(long since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(_settings.CallTimeout);
        HttpResponseMessage response;
        try
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{EmsApiPaths.Changes}?since={since}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new EmsUnreachableException($"change stream: {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new EmsUnreachableException($"change stream: HTTP {(int)response.StatusCode}");
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw new EmsUnreachableException($"change stream: {e.Message}", e);
            }
            using var reader = new StreamReader(body);
            var sse = new ServerSentEventReader();
            while (true)
            {
                idle.CancelAfter(_settings.StreamIdleTimeout);
                string? line;
                try
                {
                    line = await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    throw new EmsUnreachableException(idle.IsCancellationRequested ? "change stream: silent past the idle timeout" : $"change stream: {e.Message}", e);
                }
                if (line is null)
                    throw new EmsUnreachableException("change stream: closed by the EMS");
                if (line.Length > MaxEventLineChars)
                    throw new EmsUnreachableException("change stream: oversized line");
                if (sse.Feed(line) is not { } message)
                    continue;
                if (!TryReadChange(message, out var change))
                    throw new EmsUnreachableException("change stream: unparsable event");
                yield return change;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<EmsResult<T>> QueryAsync<T>(string path, long maxBytes, Func<Stream, CancellationToken, Task<T?>> read, CancellationToken cancellationToken, TimeSpan? bodyTimeout = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.CallTimeout);
        try
        {
            using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            // Headers came within call-timeout; a large body gets its own bound.
            if (bodyTimeout is { } longer && longer > _settings.CallTimeout)
                timeout.CancelAfter(longer);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return EmsResult<T>.NotFound($"{path}: not found");
            if (!response.IsSuccessStatusCode)
                return EmsResult<T>.Unreachable($"{path}: HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength > maxBytes)
                return EmsResult<T>.Unreachable($"{path}: answer of {response.Content.Headers.ContentLength} bytes exceeds the {maxBytes}-byte limit");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var value = await read(new BoundedStream(stream, maxBytes), timeout.Token).ConfigureAwait(false);
            return value is null ? EmsResult<T>.Unreachable($"{path}: unexpected answer") : EmsResult<T>.Ok(value);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return EmsResult<T>.Unreachable($"{path}: no answer within call-timeout {_settings.CallTimeout.TotalSeconds}s (or its body took too long)");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException or InvalidOperationException)
        {
            return EmsResult<T>.Unreachable($"{path}: {e.Message}");
        }
    }

    private async Task<EndpointEntry?> ReadEndpointAsync(Stream stream, CancellationToken cancellationToken)
    {
        var dto = await JsonSerializer.DeserializeAsync<EmsEndpointDto>(stream, EmsEndpointJson.Options, cancellationToken).ConfigureAwait(false);
        return dto is not null && EmsEndpointJson.TryRead(dto, _serial ?? _settings.SerialNumber, _tenant ?? _settings.TenantId, out var entry) ? entry : null;
    }

    private static async Task<string?> ReadTextAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    // Streams into DTOs: a 1M-endpoint snapshot never exists as one JsonDocument.
    private async Task<EmsSnapshot?> ReadSnapshotAsync(Stream stream, CancellationToken cancellationToken)
    {
        var dto = await JsonSerializer.DeserializeAsync<EmsSnapshotDto>(stream, EmsEndpointJson.Options, cancellationToken).ConfigureAwait(false);
        if (dto is not { Version: { } version, Endpoints: { } endpoints })
            return null;
        var serial = dto.EmsSn ?? _settings.SerialNumber;
        var tenant = dto.EmsTenantId ?? _settings.TenantId;
        // Zero trust tags only: classification tags (type 3) resolve no dynamic address list.
        var tags = (dto.Tags ?? []).Where(t => t is not null && DynamicAddressName.KindOfType(t.Type) == EmsTagKind.Ztna)
            .Select(t => t.Name).OfType<string>().Where(n => n.Length > 0).ToList();
        var list = new List<EndpointEntry>(endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            if (endpoint is null || !EmsEndpointJson.TryRead(endpoint, serial, tenant, out var entry))
                return null;
            list.Add(entry);
        }
        var revoked = new List<RevokedCertificate>(dto.RevokedCertificates?.Count ?? 0);
        foreach (var r in dto.RevokedCertificates ?? [])
        {
            if (r is null || !EmsEndpointJson.IsSerial(r.Serial) || !EmsEndpointJson.IsUid(r.Uid))
                return null;
            revoked.Add(new RevokedCertificate(r.Serial!, r.Uid!.ToUpperInvariant()));
        }
        (_serial, _tenant) = (serial, tenant);
        return new EmsSnapshot(version, serial, tenant, tags, list) { EndpointCaKey = dto.EndpointCaKey, RevokedCertificates = revoked };
    }

    private bool TryReadChange(ServerSentEvent message, out EmsChange change)
    {
        change = null!;
        try
        {
            using var doc = JsonDocument.Parse(message.Data, Json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var v) || !v.TryGetInt64Number(out var version))
                return false;
            var kind = EmsEndpointJson.String(root, "kind") ?? message.Event ?? "";
            var subject = EmsEndpointJson.String(root, "subject") ?? "";
            EndpointEntry? endpoint = null;
            if (kind is EmsApiPaths.EndpointRegistered or EmsApiPaths.EndpointUpdated)
            {
                if (!root.TryGetProperty("data", out var data) || !EmsEndpointJson.TryRead(data, _serial ?? _settings.SerialNumber, _tenant ?? _settings.TenantId, out endpoint))
                    return false;
            }
            List<string> serials = [];
            if (kind == EmsApiPaths.CertificateRevoked)
            {
                // {"uid": UID, "serials": [hex …]}: anything else is garbage, not "nothing revoked".
                if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object || !EmsEndpointJson.IsUid(subject)
                    || !data.TryGetProperty("serials", out var list) || list.ValueKind != JsonValueKind.Array)
                    return false;
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } serial || !EmsEndpointJson.IsSerial(serial))
                        return false;
                    serials.Add(serial);
                }
                subject = subject.ToUpperInvariant();
            }
            change = new EmsChange(version, kind, subject, endpoint) { RevokedSerials = serials };
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
