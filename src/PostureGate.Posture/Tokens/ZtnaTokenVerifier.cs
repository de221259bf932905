// Verifies the ZTNA tag token a FortiClient sends in ZTNA_TAG (JWS compact serialisation,
// RFC 7515 §7.1; JWT claims RFC 7519 §4.1). The algorithm is fixed to RS256 (RFC 7518 §3.3):
// the token's own `alg` only has to agree, so `none` (RFC 7518 §3.6) and HS256 signed with the
// public key are refused before any key is touched. Keys come only from PinnedKeyStore.
// JsonWebTokenHandler does the signature; the structural and claim checks around it are ours,
// each with a named refusal. FortiClient EMS signs without a `kid` (seed, Example 2:
// {"alg":"RS256","typ":"JWT"}): such a token is tried against the keys pinned for the
// connectors it may speak for, at most MaxKeysWithoutKid of them — never a key from elsewhere.
// A token with `cnf` (RFC 7800 §3.1; x5t#S256, RFC 8705 §3.1) counts only for the peer that proved
// that certificate in this IKE SA (TokenBinding); a duplicated member anywhere is refused, so no
// claim can be read one way here and another way elsewhere (RFC 7519 §4: names must be unique).
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PostureGate.Posture;

public sealed class ZtnaTokenVerifier
{
    /// <summary>A token without a `kid` is tried against at most this many pinned keys (a rotation keeps two).</summary>
    public const int MaxKeysWithoutKid = 4;

    private readonly PinnedKeyStore _keys;
    private readonly ZtnaTokenOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly Lock _lock = new();
    // Newest accepted `iat` (and that token's `exp`) per UID: an older token for the same
    // endpoint is a replay. Entries whose token expired a day ago are pruned as the map grows.
    private readonly Dictionary<string, (long Iat, long Exp)> _newestIat = new(StringComparer.Ordinal);
    private int _pruneAt = 4096;

    public ZtnaTokenVerifier(PinnedKeyStore keys, ZtnaTokenOptions? options = null, TimeProvider? time = null)
    {
        _keys = keys;
        _options = options ?? new ZtnaTokenOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Longer tokens are refused unread.</summary>
    public int MaxTokenBytes => _options.MaxTokenBytes;

    /// <param name="connectorIds">The fctems entries the token may speak for: a token without a
    /// `kid` is tried against their pinned keys only (null: every connector's).</param>
    /// <param name="binding">What this IKE SA proved (default: nothing, binding not required — a bound token is refused).</param>
    public Task<TokenVerification> VerifyAsync(ReadOnlyMemory<byte> token, string expectedUid, CancellationToken cancellationToken = default,
        IReadOnlyCollection<int>? connectorIds = null, TokenBinding binding = default)
    {
        if (token.Length > _options.MaxTokenBytes)
            return Task.FromResult(TokenVerification.Refused(TokenRefusal.TooLarge));
        // A JWS compact token is ASCII; anything else fails the base64url check below.
        return VerifyAsync(Encoding.Latin1.GetString(token.Span.TrimEnd((byte)0)), expectedUid, cancellationToken, connectorIds, binding);
    }

    /// <summary>The connectors whose pinned key under this kid is the very key that verified the token (RFC 7638 thumbprints).</summary>
    private static int[] SameKeyConnectors(IReadOnlyList<PinnedKeyStore.PinnedKey> candidates, PinnedKeyStore.PinnedKey verified)
    {
        if (!verified.Key.CanComputeJwkThumbprint())
            return [verified.ConnectorId];
        var thumbprint = verified.Key.ComputeJwkThumbprint();
        return candidates
            .Where(c => ReferenceEquals(c, verified) || (c.Key.CanComputeJwkThumbprint() && c.Key.ComputeJwkThumbprint().AsSpan().SequenceEqual(thumbprint)))
            .Select(c => c.ConnectorId).Distinct().ToArray();
    }

    public async Task<TokenVerification> VerifyAsync(string token, string expectedUid, CancellationToken cancellationToken = default,
        IReadOnlyCollection<int>? connectorIds = null, TokenBinding binding = default)
    {
        var parsed = Parse(token);
        if (parsed.Refusal != TokenRefusal.None)
            return TokenVerification.Refused(parsed.Refusal, parsed.Detail);

        IReadOnlyList<PinnedKeyStore.PinnedKey> candidates;
        if (parsed.Kid is null)
        {
            candidates = _keys.ForConnectors(connectorIds);
            if (candidates.Count == 0)
                return TokenVerification.Refused(TokenRefusal.UnknownKid, "no kid, and no key pinned for the connectors it may speak for");
            if (candidates.Count > MaxKeysWithoutKid)
                return TokenVerification.Refused(TokenRefusal.MissingKid, $"no kid, and {candidates.Count} pinned keys to try (at most {MaxKeysWithoutKid})");
        }
        else
        {
            candidates = _keys.Resolve(parsed.Kid);
            if (candidates.Count == 0)
                return TokenVerification.Refused(TokenRefusal.UnknownKid, parsed.Kid);
        }

        var now = _time.GetUtcNow();
        var parameters = new TokenValidationParameters
        {
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            // Our candidates only: by the token's kid, or (no kid) the connectors' pinned keys.
            IssuerSigningKeyResolver = (_, _, _, _) => candidates.Select(k => k.Key),
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (_, expires, _, _) => expires is { } e && e > _time.GetUtcNow().UtcDateTime,
            // The EMS token carries neither `iss` nor `aud`.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateIssuerSigningKey = false,
        };
        // RFC 7519 §4.1.4: `exp` is checked before the signature only to name the refusal; an
        // unsigned claim cannot admit anything, since the signature is still required below.
        if (parsed.Exp <= now.ToUnixTimeSeconds())
            return TokenVerification.Refused(TokenRefusal.Expired);

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or FormatException or JsonException)
        {
            return TokenVerification.Refused(TokenRefusal.BadSignature, e.GetType().Name);
        }
        if (!result.IsValid)
        {
            return result.Exception switch
            {
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => TokenVerification.Refused(TokenRefusal.Expired),
                SecurityTokenNoExpirationException => TokenVerification.Refused(TokenRefusal.MissingExpiry),
                SecurityTokenInvalidAlgorithmException => TokenVerification.Refused(TokenRefusal.AlgorithmNotAllowed),
                _ => TokenVerification.Refused(TokenRefusal.BadSignature, result.Exception?.GetType().Name),
            };
        }
        var signingKey = (result.SecurityToken as JsonWebToken)?.SigningKey;
        var pinned = candidates.FirstOrDefault(k => ReferenceEquals(k.Key, signingKey));
        if (pinned is null)
            return TokenVerification.Refused(TokenRefusal.UnknownKid, parsed.Kid ?? "no kid");

        if (parsed.Iat > now.Add(_options.IssuedAtLeeway).ToUnixTimeSeconds())
            return TokenVerification.Refused(TokenRefusal.IssuedInFuture);
        if (!string.Equals(parsed.Uid, expectedUid, StringComparison.OrdinalIgnoreCase))
            return TokenVerification.Refused(TokenRefusal.UidMismatch, parsed.Uid);
        // Checked before the token counts as the newest seen: a copy refused here moves nothing.
        if (binding.Check(parsed.CnfX5tS256, out var bindingDetail) is not TokenRefusal.None and var bindingRefusal)
            return TokenVerification.Refused(bindingRefusal, bindingDetail);

        var uid = parsed.Uid!.ToUpperInvariant();
        lock (_lock)
        {
            if (_newestIat.TryGetValue(uid, out var newest) && parsed.Iat < newest.Iat)
                return TokenVerification.Refused(TokenRefusal.OlderThanAccepted);
            _newestIat[uid] = (parsed.Iat, parsed.Exp);
            if (_newestIat.Count >= _pruneAt)
                Prune(now.ToUnixTimeSeconds() - 86_400);
        }
        return new TokenVerification(
            new ZtnaToken(uid, parsed.Tags!, parsed.CertSn, DateTimeOffset.FromUnixTimeSeconds(parsed.Iat), DateTimeOffset.FromUnixTimeSeconds(parsed.Exp), pinned.Kid, pinned.ConnectorId)
            {
                ConnectorIds = SameKeyConnectors(candidates, pinned),
                BoundCertificateSha256 = parsed.CnfX5tS256,
            },
            TokenRefusal.None);
    }

    private void Prune(long expiredBefore)
    {
        foreach (var (uid, entry) in _newestIat)
        {
            if (entry.Exp < expiredBefore)
                _newestIat.Remove(uid);
        }
        _pruneAt = Math.Max(4096, _newestIat.Count * 2);
    }

    /// <summary>Forgets the newest `iat` of an endpoint (it was deleted from the EMS).</summary>
    public void Forget(string uid)
    {
        lock (_lock)
            _newestIat.Remove(uid.ToUpperInvariant());
    }

    private sealed record ParsedToken(TokenRefusal Refusal, string? Detail = null)
    {
        public string? Kid { get; init; }
        public string? Uid { get; init; }
        public string? CertSn { get; init; }
        public IReadOnlyList<ZtnaTokenTag>? Tags { get; init; }
        public long Exp { get; init; }
        public long Iat { get; init; }
        public byte[]? CnfX5tS256 { get; init; }
    }

    // RFC 7515 §7.1 (three base64url parts, no padding, §2), RFC 7519 §7.2 (header and claims are JSON objects).
    private ParsedToken Parse(string token)
    {
        if (string.IsNullOrEmpty(token))
            return new(TokenRefusal.Empty);
        if (token.Length > _options.MaxTokenBytes)
            return new(TokenRefusal.TooLarge);
        var parts = token.Split('.');
        if (parts.Length != 3)
            return new(TokenRefusal.NotThreeParts);
        if (!TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var payloadBytes) || !TryDecode(parts[2], out _))
            return new(TokenRefusal.BadBase64);

        var json = new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false };
        string? kid;
        try
        {
            using var header = JsonDocument.Parse(headerBytes, json);
            var root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new(TokenRefusal.BadJson, "header is not an object");
            // RFC 7515 §4.1.1: alg is required; we accept exactly one value.
            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != SecurityAlgorithms.RsaSha256)
                return new(TokenRefusal.AlgorithmNotAllowed, alg.ValueKind == JsonValueKind.String ? alg.GetString() : null);
            if (parts[2].Length == 0)
                return new(TokenRefusal.BadSignature, "empty signature");
            if (root.TryGetProperty("crit", out _))
                return new(TokenRefusal.BadShape, "crit header");
            // RFC 7515 §4.1.4: kid is optional; FortiClient EMS sends none. One that is there must be sane.
            kid = null;
            if (root.TryGetProperty("kid", out var kidElement))
            {
                if (kidElement.ValueKind != JsonValueKind.String || kidElement.GetString() is not { Length: > 0 and <= 128 } k)
                    return new(TokenRefusal.BadShape, "kid");
                kid = k;
            }
        }
        // InvalidOperationException: a string that is not valid UTF-8 once unescaped.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new(TokenRefusal.BadJson, "header");
        }

        try
        {
            using var payload = JsonDocument.Parse(payloadBytes, json);
            var root = payload.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new(TokenRefusal.BadJson, "payload is not an object");
            if (!root.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number)
                return new(TokenRefusal.MissingExpiry);
            if (!exp.TryGetInt64(out var expValue))
                return new(TokenRefusal.BadShape, "exp");
            if (!root.TryGetProperty("iat", out var iat) || !iat.TryGetInt64Number(out var iatValue))
                return new(TokenRefusal.BadShape, "iat");
            if (!root.TryGetProperty("endpoint", out var endpoint) || endpoint.ValueKind != JsonValueKind.Object)
                return new(TokenRefusal.BadShape, "endpoint");
            if (!endpoint.TryGetProperty("uid", out var uid) || uid.ValueKind != JsonValueKind.String || uid.GetString() is not { Length: FortiClientConnectBody.UidLength } uidText || !uidText.AsSpan().ContainsOnlyHex())
                return new(TokenRefusal.BadShape, "endpoint.uid");
            if (!endpoint.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array || tags.GetArrayLength() > _options.MaxTags)
                return new(TokenRefusal.BadShape, "endpoint.tags");
            var list = new List<ZtnaTokenTag>(tags.GetArrayLength());
            foreach (var tag in tags.EnumerateArray())
            {
                if (tag.ValueKind != JsonValueKind.Object
                    || !tag.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString())
                    || !tag.TryGetProperty("type", out var type) || !type.TryGetInt32Number(out var typeValue))
                    return new(TokenRefusal.BadShape, "endpoint.tags[]");
                list.Add(new ZtnaTokenTag(name.GetString()!, typeValue));
            }
            string? certSn = endpoint.TryGetProperty("ztna_cert_sn", out var sn) && sn.ValueKind == JsonValueKind.String ? sn.GetString() : null;
            byte[]? cnf = null;
            if (root.TryGetProperty("cnf", out var cnfElement) && !TryReadConfirmation(cnfElement, out cnf, out var cnfError))
                return new(TokenRefusal.BadConfirmation, cnfError);
            return new(TokenRefusal.None) { Kid = kid, Uid = uidText, Tags = list, CertSn = certSn, Exp = expValue, Iat = iatValue, CnfX5tS256 = cnf };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new(TokenRefusal.BadJson, "payload");
        }
    }

    // RFC 7800 §3.1: cnf is an object of confirmation members; RFC 8705 §3.1: x5t#S256 is the
    // base64url SHA-256 of the certificate's DER. That is the one member PostureGate can check, so a
    // cnf with any other (jwk, kid, jku, …) is refused rather than read as unbound.
    private static bool TryReadConfirmation(JsonElement cnf, out byte[]? thumbprint, out string? error)
    {
        thumbprint = null;
        error = null;
        if (cnf.ValueKind != JsonValueKind.Object)
            error = "cnf is not an object";
        else if (!cnf.TryGetProperty("x5t#S256", out var x5t))
            error = "cnf has no x5t#S256";
        else if (cnf.EnumerateObject().Count() != 1)
            error = "cnf has members other than x5t#S256";
        else if (x5t.ValueKind != JsonValueKind.String)
            error = "cnf.x5t#S256 is not a string";
        else if (!TryDecode(x5t.GetString()!, out var bytes) || bytes.Length != TokenBinding.ThumbprintLength)
            error = $"cnf.x5t#S256 is not the base64url of {TokenBinding.ThumbprintLength} octets";
        else
            thumbprint = bytes;
        return error is null;
    }

    private static bool TryDecode(string part, out byte[] bytes)
    {
        bytes = [];
        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return false;
        }
        if (part.Length % 4 == 1)
            return false;
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

internal static class JsonElementNumbers
{
    public static bool TryGetInt64Number(this JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }

    public static bool TryGetInt32Number(this JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }
}
