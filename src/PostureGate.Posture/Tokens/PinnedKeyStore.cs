// The EMS signing keys the gateway trusts: fetched from each connector's JWKS over the pinned
// TLS channel at sync time and kept, so tokens still verify while that EMS is unreachable.
// A token's `kid` is resolved only here — never from a `jku`/`x5u`/`jwk` in the token itself.
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace PostureGate.Posture;

public sealed class PinnedKeyStore
{
    public const int MinRsaBits = 2048;
    public const int MaxJwksBytes = 256 * 1024;

    private readonly Lock _lock = new();
    private Dictionary<int, IReadOnlyList<PinnedKey>> _byConnector = [];
    private Dictionary<string, PinnedKey[]> _byKid = new(StringComparer.Ordinal);

    public sealed record PinnedKey(int ConnectorId, string Kid, SecurityKey Key);

    /// <summary>Replaces the keys of one connector with the RSA signing keys of a JWKS document; false (nothing changed) when it is not one.</summary>
    public bool TrySetFromJwks(int connectorId, string jwksJson, out int count)
    {
        count = 0;
        if (jwksJson.Length > MaxJwksBytes)
            return false;
        var keys = new List<PinnedKey>();
        try
        {
            using var doc = JsonDocument.Parse(jwksJson, new JsonDocumentOptions { MaxDepth = 8 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
                return false;
            foreach (var element in array.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                    continue;
                var jwk = new JsonWebKey(element.GetRawText());
                if (jwk.Kty != JsonWebAlgorithmsKeyTypes.RSA || string.IsNullOrEmpty(jwk.Kid) || string.IsNullOrEmpty(jwk.N) || string.IsNullOrEmpty(jwk.E))
                    continue;
                if (jwk.Alg is { Length: > 0 } alg && alg != SecurityAlgorithms.RsaSha256)
                    continue;
                if (jwk.Use is { Length: > 0 } use && use != "sig")
                    continue;
                if (jwk.KeySize < MinRsaBits)
                    continue;
                keys.Add(new PinnedKey(connectorId, jwk.Kid, jwk));
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            return false;
        }
        Set(connectorId, keys);
        count = keys.Count;
        return true;
    }

    /// <summary>Pins keys directly (tests, or keys configured by hand).</summary>
    public void Set(int connectorId, IEnumerable<PinnedKey> keys)
    {
        lock (_lock)
        {
            var byConnector = new Dictionary<int, IReadOnlyList<PinnedKey>>(_byConnector) { [connectorId] = [.. keys] };
            _byConnector = byConnector;
            _byKid = byConnector.Values.SelectMany(k => k)
                .GroupBy(k => k.Kid, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        }
    }

    public void Set(int connectorId, string kid, SecurityKey key) => Set(connectorId, [new PinnedKey(connectorId, kid, key)]);

    /// <summary>The pinned keys with this kid (normally one; two connectors may reuse a kid).</summary>
    public IReadOnlyList<PinnedKey> Resolve(string? kid)
    {
        if (kid is null)
            return [];
        var map = _byKid;
        return map.TryGetValue(kid, out var keys) ? keys : [];
    }

    /// <summary>Every key pinned for these connectors (all connectors when null): what a token without a kid may be tried against.</summary>
    public IReadOnlyList<PinnedKey> ForConnectors(IEnumerable<int>? connectorIds)
    {
        var map = _byConnector;
        var ids = connectorIds ?? map.Keys;
        return [.. ids.Distinct().Where(map.ContainsKey).SelectMany(id => map[id])];
    }

    public int CountFor(int connectorId) => _byConnector.TryGetValue(connectorId, out var keys) ? keys.Count : 0;
}
