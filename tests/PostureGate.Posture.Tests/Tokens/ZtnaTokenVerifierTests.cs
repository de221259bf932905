using System.Security.Cryptography;
using System.Text;
using System.Buffers.Text;

namespace PostureGate.Posture.Tests.Tokens;

public sealed class ZtnaTokenVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1769757787);
    private readonly TestTokens _tokens = new();
    private readonly ManualTimeProvider _time = new(Now);
    private readonly ZtnaTokenVerifier _verifier;

    public ZtnaTokenVerifierTests()
    {
        _verifier = new ZtnaTokenVerifier(_tokens.Keys, time: _time);
    }

    public void Dispose() => _tokens.Dispose();

    private long T => Now.ToUnixTimeSeconds();

    [Fact]
    public async Task ValidToken_GivesTagsUidTimesAndConnector()
    {
        var result = await _verifier.VerifyAsync(_tokens.Valid(Now), TestTokens.SeedUid);
        Assert.True(result.IsValid, result.Refusal.ToString());
        var token = result.Token!;
        Assert.Equal(TestTokens.SeedUid, token.Uid);
        Assert.Equal(["a", "all_registered_clients"], token.Tags.Select(t => t.Name));
        Assert.Equal(1, token.Tags[0].Type);
        Assert.Equal(3, token.ConnectorId);
        Assert.Equal(Now, token.IssuedAt);
        Assert.Equal("B09D97178121B588ED3055137577522C7B689B79", token.ZtnaCertSn);
        Assert.True(token.Matches(new DynamicAddressName(3, "a")));
        Assert.False(token.Matches(new DynamicAddressName(1, "a")));
        Assert.False(token.Matches(new DynamicAddressName(3, "Low")));
    }

    [Fact]
    public async Task OneEmsBehindTwoConnectors_TokenSpeaksForBoth_ButNotForAnotherKey()
    {
        // fctems 1 and 3 pin the same EMS (same kid, same key); fctems 5 pins another key under that kid.
        _tokens.Keys.Set(1, _tokens.Kid, new Microsoft.IdentityModel.Tokens.RsaSecurityKey(_tokens.Rsa.ExportParameters(false)) { KeyId = _tokens.Kid });
        using var other = RSA.Create(2048);
        _tokens.Keys.Set(5, _tokens.Kid, new Microsoft.IdentityModel.Tokens.RsaSecurityKey(other.ExportParameters(false)) { KeyId = _tokens.Kid });
        var result = await _verifier.VerifyAsync(_tokens.Valid(Now), TestTokens.SeedUid);
        Assert.True(result.IsValid, result.Refusal.ToString());
        Assert.Equal([1, 3], result.Token!.ConnectorIds.Order());
        Assert.True(result.Token.Matches(new DynamicAddressName(1, "a")));
        Assert.True(result.Token.Matches(new DynamicAddressName(3, "a")));
        Assert.False(result.Token.Matches(new DynamicAddressName(5, "a")));
    }

    private const string SeedHeader = """{"alg":"RS256","typ":"JWT"}""";

    /// <summary>The seed's Example 2 payload shape: tags a and all_registered_clients (type 1), Low (type 3, a classification).</summary>
    private static string SeedPayload(long iat, long exp) =>
        $$"""{"endpoint":{"uid":"{{TestTokens.SeedUid}}","tags":[{"name":"a","type":1,"levl":null},{"name":"all_registered_clients","type":1,"levl":null},{"name":"Low","type":3,"levl":null}],"nwifs":null,"ztna_cert_sn":"B09D97178121B588ED3055137577522C7B689B79","owner":null},"exp":{{exp}},"iat":{{iat}}}""";

    // Issue 11: FortiClient EMS signs without a kid (seed, Example 2); that was refused as MissingKid.
    [Fact]
    public async Task SeedShapedToken_WithoutKid_IsVerifiedAgainstTheConnectorsPinnedKeys()
    {
        var result = await _verifier.VerifyAsync(_tokens.Sign(SeedHeader, SeedPayload(T, T + 3600)), TestTokens.SeedUid, connectorIds: [3]);

        Assert.True(result.IsValid, $"{result.Refusal} {result.Detail}");
        var token = result.Token!;
        Assert.Equal(_tokens.Kid, token.Kid);
        Assert.Equal(3, token.ConnectorId);
        Assert.True(token.Matches(new DynamicAddressName(3, "a")));
        // "Low" is a classification tag: EMS3_CLASS_Low, not EMS3_ZTNA_Low.
        Assert.True(token.Matches(new DynamicAddressName(3, "Low", EmsTagKind.Classification)));
        Assert.False(token.Matches(new DynamicAddressName(3, "Low")));
        Assert.False(token.Matches(new DynamicAddressName(3, "a", EmsTagKind.Classification)));
    }

    [Fact]
    public async Task KidlessToken_IsTriedOnlyAgainstItsConnectorsKeys_AtMostFour_AndEveryOtherRuleHolds()
    {
        var kidless = _tokens.Sign(SeedHeader, SeedPayload(T, T + 3600));
        // The signing key is pinned for connector 3 only: connector 1's keys do not verify it.
        using var other = RSA.Create(2048);
        _tokens.Keys.Set(1, "other", new Microsoft.IdentityModel.Tokens.RsaSecurityKey(other.ExportParameters(false)) { KeyId = "other" });
        Assert.Equal(TokenRefusal.BadSignature, (await _verifier.VerifyAsync(kidless, TestTokens.SeedUid, connectorIds: [1])).Refusal);
        Assert.Equal(TokenRefusal.UnknownKid, (await _verifier.VerifyAsync(kidless, TestTokens.SeedUid, connectorIds: [7])).Refusal);
        // Every other rule still holds.
        Assert.Equal(TokenRefusal.UidMismatch, (await _verifier.VerifyAsync(kidless, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", connectorIds: [3])).Refusal);
        Assert.Equal(TokenRefusal.Expired, (await _verifier.VerifyAsync(_tokens.Sign(SeedHeader, SeedPayload(T - 7200, T - 3600)), TestTokens.SeedUid, connectorIds: [3])).Refusal);
        Assert.Equal(TokenRefusal.BadSignature, (await _verifier.VerifyAsync(_tokens.Sign(SeedHeader, SeedPayload(T, T + 3600), other), TestTokens.SeedUid, connectorIds: [3])).Refusal);
        // More than four keys pinned for the connector: not a guessing game.
        _tokens.Keys.Set(3, Enumerable.Range(0, 5).Select(i => new PinnedKeyStore.PinnedKey(3, $"k{i}",
            new Microsoft.IdentityModel.Tokens.RsaSecurityKey(_tokens.Rsa.ExportParameters(false)) { KeyId = $"k{i}" })));
        var many = await _verifier.VerifyAsync(kidless, TestTokens.SeedUid, connectorIds: [3]);
        Assert.Equal(TokenRefusal.MissingKid, many.Refusal);
    }

    [Fact]
    public async Task TheSeedsOwnToken_IsReadWithoutKid_ButNotSignedByAPinnedKey()
    {
        // Seed, Example 2, as FortiOS logged it; signed by that EMS's key, which is not ours.
        const string seed = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJlbmRwb2ludCI6eyJ1aWQiOiJGOEE2QUZGMzUzMTg0M0I0OTcyQ0JEQkVFRUIzMEUzQyIsInRhZ3MiOlt7Im5hbWUiOiJhIiwidHlwZSI6MSwibGV2bCI6bnVsbH0seyJuYW1lIjoiYWxsX3JlZ2lzdGVyZWRfY2xpZW50cyIsInR5cGUiOjEsImxldmwiOm51bGx9LHsibmFtZSI6IkxvdyIsInR5cGUiOjMsImxldmwiOm51bGx9XSwibndpZnMiOm51bGwsInp0bmFfY2VydF9zbiI6IkIwOUQ5NzE3ODEyMUI1ODhFRDMwNTUxMzc1Nzc1MjJDN0I2ODlCNzkiLCJvd25lciI6bnVsbH0sImV4cCI6MTc2OTc2MTM4NywiaWF0IjoxNzY5NzU3Nzg3fQ.GT4B2wuDJcVKn1LCb6UW1by0pXxvW5vdQD2DzvCmRxODoy-gk9-XKaXZtvlRyFVAVG6BGDOZR0UIW--Eduhps4zCr0PdQhy2cFnhsKu7tygdxSEEHpm_ESXi6t3EcIbxPb5y4xQflb1ny4TscB-OVN68pXT_BwgfuszBcYON2ZzgEiRbcJmfwzAkmjThfHik59EZBOOC_lQv1pkQ3-IQHJVSq0QhBIPx8seYhSIMtto9vJwIEciaZ8DPGbHtJ1WlOtm7SKbkoIDer4xSDVhKO03McJ0hlxFQpjc7AufONrN1jbgW3ydJJ03u3tQHbWETufayz3-eN9GlufTpidUBgQ";
        // "received ZTNA tags update token (len=791)": 790 characters and the NUL, as with FCT data.
        Assert.Equal(790, seed.Length);
        _time.Advance(TimeSpan.FromMinutes(1));
        var result = await _verifier.VerifyAsync(Encoding.ASCII.GetBytes(seed + "\0"), TestTokens.SeedUid);
        Assert.Equal(TokenRefusal.BadSignature, result.Refusal);
    }

    [Fact]
    public async Task AlgNone_IsRefused()
    {
        var token = TestTokens.B64("""{"alg":"none","typ":"JWT","kid":"ems-key-1"}""") + "." + TestTokens.B64(TestTokens.Payload(TestTokens.SeedUid, ["a"], T, T + 3600)) + ".";
        await AssertRefused(token, TokenRefusal.AlgorithmNotAllowed);
    }

    [Fact]
    public async Task Hs256SignedWithThePublicKey_IsRefused()
    {
        var header = TestTokens.B64(_tokens.Header("HS256"));
        var payload = TestTokens.B64(TestTokens.Payload(TestTokens.SeedUid, ["a"], T, T + 3600));
        var secret = Encoding.ASCII.GetBytes(_tokens.Rsa.ExportSubjectPublicKeyInfoPem());
        var mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(header + "." + payload));
        await AssertRefused(header + "." + payload + "." + Base64Url.EncodeToString(mac), TokenRefusal.AlgorithmNotAllowed);
    }

    [Fact]
    public async Task UnknownKid_IsRefused() =>
        await AssertRefused(_tokens.Sign(_tokens.Header(kid: "not-pinned"), TestTokens.Payload(TestTokens.SeedUid, ["a"], T, T + 3600)), TokenRefusal.UnknownKid);

    [Fact]
    public async Task KidThatIsNotAString_IsRefused() =>
        await AssertRefused(_tokens.Sign("""{"alg":"RS256","typ":"JWT","kid":7}""", TestTokens.Payload(TestTokens.SeedUid, ["a"], T, T + 3600)), TokenRefusal.BadShape);

    [Fact]
    public async Task SignedByAnotherKey_IsRefused()
    {
        using var other = RSA.Create(2048);
        await AssertRefused(_tokens.Sign(_tokens.Header(), TestTokens.Payload(TestTokens.SeedUid, ["a"], T, T + 3600), other), TokenRefusal.BadSignature);
    }

    [Fact]
    public async Task TamperedPayload_IsRefused()
    {
        var parts = _tokens.Valid(Now, tags: ["b"]).Split('.');
        parts[1] = TestTokens.B64(TestTokens.Payload(TestTokens.SeedUid, ["a"], T, T + 3600));
        await AssertRefused(string.Join('.', parts), TokenRefusal.BadSignature);
    }

    [Fact]
    public async Task Expired_IsRefused() =>
        await AssertRefused(_tokens.Valid(Now, iat: T - 7200, exp: T - 1), TokenRefusal.Expired);

    [Fact]
    public async Task MissingExp_IsRefused()
    {
        var payload = """{"endpoint":{"uid":"F8A6AFF3531843B4972CBDBEEEB30E3C","tags":[{"name":"a","type":1,"levl":null}],"nwifs":null,"ztna_cert_sn":"X","owner":null},"iat":1769757787}""";
        await AssertRefused(_tokens.Sign(_tokens.Header(), payload), TokenRefusal.MissingExpiry);
    }

    [Fact]
    public async Task IssuedInTheFuture_IsRefused_ButWithinLeewayIsAccepted()
    {
        await AssertRefused(_tokens.Valid(Now, iat: T + 120), TokenRefusal.IssuedInFuture);
        Assert.True((await _verifier.VerifyAsync(_tokens.Valid(Now, iat: T + 30), TestTokens.SeedUid)).IsValid);
    }

    [Fact]
    public async Task OtherEndpointsUid_IsRefused() =>
        await AssertRefused(_tokens.Valid(Now, uid: "00000000000000000000000000000001"), TokenRefusal.UidMismatch);

    [Fact]
    public async Task OlderThanTheLastAccepted_IsRefused_SameOrNewerAccepted()
    {
        Assert.True((await _verifier.VerifyAsync(_tokens.Valid(Now, iat: T), TestTokens.SeedUid)).IsValid);
        await AssertRefused(_tokens.Valid(Now, iat: T - 10), TokenRefusal.OlderThanAccepted);
        Assert.True((await _verifier.VerifyAsync(_tokens.Valid(Now, iat: T), TestTokens.SeedUid)).IsValid);
        Assert.True((await _verifier.VerifyAsync(_tokens.Valid(Now, iat: T + 5), TestTokens.SeedUid)).IsValid);
        await AssertRefused(_tokens.Valid(Now, iat: T), TokenRefusal.OlderThanAccepted);
    }

    [Fact]
    public async Task RefusedToken_DoesNotAdvanceTheNewestIat()
    {
        await AssertRefused(_tokens.Valid(Now, uid: "00000000000000000000000000000001", iat: T + 50), TokenRefusal.UidMismatch);
        using var other = RSA.Create(2048);
        await AssertRefused(_tokens.Sign(_tokens.Header(), TestTokens.Payload(TestTokens.SeedUid, ["a"], T + 50, T + 3600), other), TokenRefusal.BadSignature);
        Assert.True((await _verifier.VerifyAsync(_tokens.Valid(Now, iat: T), TestTokens.SeedUid)).IsValid);
    }

    [Fact]
    public async Task Oversized_IsRefused()
    {
        var huge = _tokens.Valid(Now, tags: [.. Enumerable.Range(0, 200).Select(i => $"tag-number-{i}")]);
        Assert.True(huge.Length > 8192);
        await AssertRefused(huge, TokenRefusal.TooLarge);
    }

    public static TheoryData<string, string, TokenRefusal> Malformed => new()
    {
        { "Empty", "", TokenRefusal.Empty },
        { "TwoParts", "eyJhbGciOiJSUzI1NiJ9.eyJ9", TokenRefusal.NotThreeParts },
        { "FourParts", "a.b.c.d", TokenRefusal.NotThreeParts },
        { "BadBase64Char", "eyJhbGciOiJSUzI1NiJ9.ey*J9.abc", TokenRefusal.BadBase64 },
        { "Padding", "eyJhbGciOiJSUzI1NiJ9.eyJ9==.abc", TokenRefusal.BadBase64 },
        { "ImpossibleLength", "eyJhbGciOiJSUzI1NiJ9.a.abcd", TokenRefusal.BadBase64 },
        { "HeaderNotJson", TestTokens.B64("{not json") + ".e30.abcd", TokenRefusal.BadJson },
        { "HeaderArray", TestTokens.B64("[1]") + ".e30.abcd", TokenRefusal.BadJson },
        { "PayloadNotJson", TestTokens.B64("""{"alg":"RS256","kid":"ems-key-1"}""") + "." + TestTokens.B64("{\"exp\":") + ".abcd", TokenRefusal.BadJson },
        { "NoEndpoint", TestTokens.B64("""{"alg":"RS256","kid":"ems-key-1"}""") + "." + TestTokens.B64("""{"exp":1769761387,"iat":1769757787}""") + ".abcd", TokenRefusal.BadShape },
        { "TagsNotArray", TestTokens.B64("""{"alg":"RS256","kid":"ems-key-1"}""") + "." + TestTokens.B64("""{"endpoint":{"uid":"F8A6AFF3531843B4972CBDBEEEB30E3C","tags":"a"},"exp":1769761387,"iat":1769757787}""") + ".abcd", TokenRefusal.BadShape },
        { "TagWithoutName", TestTokens.B64("""{"alg":"RS256","kid":"ems-key-1"}""") + "." + TestTokens.B64("""{"endpoint":{"uid":"F8A6AFF3531843B4972CBDBEEEB30E3C","tags":[{"type":1}]},"exp":1769761387,"iat":1769757787}""") + ".abcd", TokenRefusal.BadShape },
        { "UidNotHex", TestTokens.B64("""{"alg":"RS256","kid":"ems-key-1"}""") + "." + TestTokens.B64("""{"endpoint":{"uid":"not-a-uid","tags":[]},"exp":1769761387,"iat":1769757787}""") + ".abcd", TokenRefusal.BadShape },
        { "ExpString", TestTokens.B64("""{"alg":"RS256","kid":"ems-key-1"}""") + "." + TestTokens.B64("""{"endpoint":{"uid":"F8A6AFF3531843B4972CBDBEEEB30E3C","tags":[]},"exp":"soon","iat":1769757787}""") + ".abcd", TokenRefusal.MissingExpiry },
        { "CritHeader", TestTokens.B64("""{"alg":"RS256","kid":"ems-key-1","crit":["x"]}""") + ".e30.abcd", TokenRefusal.BadShape },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedTokens_AreRefusedWithTheirReason(string name, string token, TokenRefusal expected)
    {
        var result = await _verifier.VerifyAsync(token, TestTokens.SeedUid);
        Assert.False(result.IsValid, name);
        Assert.Null(result.Token);
        Assert.Equal(expected, result.Refusal);
    }

    [Fact]
    public async Task RandomGarbage_NeverThrows()
    {
        var random = new Random(11);
        var valid = _tokens.Valid(Now);
        for (var i = 0; i < 300; i++)
        {
            var chars = valid.ToCharArray();
            for (var k = 0; k < 3; k++)
                chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
            var result = await _verifier.VerifyAsync(new string(chars), TestTokens.SeedUid);
            Assert.Equal(result.IsValid, result.Refusal == TokenRefusal.None);
        }
        // Invalid UTF-8 inside a JSON string (found by the loop above).
        var header = Base64Url.EncodeToString([.. "{\"alg\":\"RS256\",\"kid\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()]);
        Assert.Equal(TokenRefusal.BadJson, (await _verifier.VerifyAsync(header + ".e30.abcd", TestTokens.SeedUid)).Refusal);
    }

    [Fact]
    public async Task KeysFromJwks_VerifyAndWeakKeysAreIgnored()
    {
        var keys = new PinnedKeyStore();
        using var weak = RSA.Create(1024);
        var p = _tokens.Rsa.ExportParameters(false);
        var w = weak.ExportParameters(false);
        var jwks = $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"ems-key-1","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}"},{"kty":"RSA","kid":"weak","n":"{{Base64Url.EncodeToString(w.Modulus)}}","e":"{{Base64Url.EncodeToString(w.Exponent)}}"},{"kty":"oct","kid":"sym","k":"c2VjcmV0"}]}""";
        Assert.True(keys.TrySetFromJwks(3, jwks, out var count));
        Assert.Equal(1, count);
        var verifier = new ZtnaTokenVerifier(keys, time: _time);
        Assert.True((await verifier.VerifyAsync(_tokens.Valid(Now), TestTokens.SeedUid)).IsValid);
        Assert.False(keys.TrySetFromJwks(3, "not json", out _));
        Assert.Equal(1, keys.CountFor(3));
    }

    private async Task AssertRefused(string token, TokenRefusal expected)
    {
        var result = await _verifier.VerifyAsync(token, TestTokens.SeedUid);
        Assert.False(result.IsValid);
        Assert.Null(result.Token);
        Assert.Equal(expected, result.Refusal);
    }
}
