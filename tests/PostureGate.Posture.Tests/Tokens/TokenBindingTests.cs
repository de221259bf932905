// Token binding (RFC 7800 §3.1 cnf, RFC 8705 §3.1 x5t#S256): the verifier reads `cnf` from hostile
// tokens, and a bound token counts only for the certificate this IKE SA proved.
using System.Buffers.Text;
using System.Security.Cryptography;

namespace PostureGate.Posture.Tests.Tokens;

public sealed class TokenBindingTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1769757787);
    private static readonly byte[] DeviceA = SHA256.HashData("device A certificate DER"u8);
    private static readonly byte[] DeviceB = SHA256.HashData("device B certificate DER"u8);
    private readonly TestTokens _tokens = new();
    private readonly ZtnaTokenVerifier _verifier;

    public TokenBindingTests() => _verifier = new ZtnaTokenVerifier(_tokens.Keys, time: new ManualTimeProvider(Now));

    public void Dispose() => _tokens.Dispose();

    private static long T => Now.ToUnixTimeSeconds();

    /// <summary>The seed's payload with <paramref name="cnfJson"/> appended as the `cnf` member (raw JSON), or <paramref name="tail"/> verbatim.</summary>
    private string Token(string? cnfJson, string? tail = null, long? iat = null)
    {
        var payload = TestTokens.Payload(TestTokens.SeedUid, ["a"], iat ?? T, T + 3600);
        var extra = tail ?? (cnfJson is null ? "" : $",\"cnf\":{cnfJson}");
        return _tokens.Sign(_tokens.Header(), payload[..^1] + extra + "}");
    }

    private static string Cnf(byte[] thumbprint) => $$"""{"x5t#S256":"{{Base64Url.EncodeToString(thumbprint)}}"}""";

    private Task<TokenVerification> Verify(string token, byte[]? proven, bool required = false) =>
        _verifier.VerifyAsync(token, TestTokens.SeedUid, binding: new TokenBinding(proven, required));

    [Fact]
    public async Task BoundToTheProvenCertificate_IsAccepted_AndSaysWhatItIsBoundTo()
    {
        var result = await Verify(Token(Cnf(DeviceA)), DeviceA, required: true);

        Assert.True(result.IsValid, $"{result.Refusal} {result.Detail}");
        Assert.Equal(DeviceA, result.Token!.BoundCertificateSha256);
    }

    [Fact]
    public async Task BoundToAnotherCertificate_IsRefused_WhetherOrNotBindingIsRequired()
    {
        foreach (var required in (bool[])[false, true])
        {
            var result = await Verify(Token(Cnf(DeviceA)), DeviceB, required);
            Assert.Equal(TokenRefusal.BindingMismatch, result.Refusal);
            Assert.Null(result.Token);
        }
    }

    // The stolen-token case: a peer that proved no certificate (EAP only) presents a bound token.
    [Fact]
    public async Task Bound_FromAPeerThatProvedNoCertificate_IsRefused()
    {
        var result = await Verify(Token(Cnf(DeviceA)), proven: null);

        Assert.Equal(TokenRefusal.BindingMismatch, result.Refusal);
        Assert.Contains("proved none", result.Detail);
    }

    [Fact]
    public async Task Unbound_IsAcceptedAsTheSeedDescribes_UnlessBindingIsRequired()
    {
        Assert.True((await Verify(Token(null, iat: T - 10), DeviceA)).IsValid);
        Assert.True((await Verify(Token(null, iat: T - 5), proven: null)).IsValid);

        var required = await Verify(Token(null), DeviceA, required: true);
        Assert.Equal(TokenRefusal.Unbound, required.Refusal);
    }

    // A copy refused for its binding must not count as the newest token of the UID: the owner's
    // own token of the same iat still verifies afterwards.
    [Fact]
    public async Task ARefusedCopy_DoesNotBlockTheOwnersToken()
    {
        var token = Token(Cnf(DeviceA));
        Assert.Equal(TokenRefusal.BindingMismatch, (await Verify(Token(Cnf(DeviceA), iat: T + 30), DeviceB)).Refusal);

        Assert.True((await Verify(token, DeviceA)).IsValid);
    }

    public static TheoryData<string, string> HostileConfirmations => new()
    {
        { "NotAnObject", "\"abc\"" },
        { "Null", "null" },
        { "Array", $"[{Cnf(DeviceA)}]" },
        { "Empty", "{}" },
        { "OtherMethodOnly", """{"jwk":{"kty":"EC"}}""" },
        { "ExtraMember", $$"""{"x5t#S256":"{{Base64Url.EncodeToString(DeviceA)}}","kid":"x"}""" },
        { "NotAString", """{"x5t#S256":42}""" },
        { "BadBase64Url", """{"x5t#S256":"not base64url!!"}""" },
        { "StandardBase64", $$"""{"x5t#S256":"{{Convert.ToBase64String(DeviceA)}}"}""" },
        { "Padded", $$"""{"x5t#S256":"{{Base64Url.EncodeToString(DeviceA)}}="}""" },
        { "Sha1Length", $$"""{"x5t#S256":"{{Base64Url.EncodeToString(SHA1.HashData("x"u8))}}"}""" },
        { "TooLong", $$"""{"x5t#S256":"{{Base64Url.EncodeToString(SHA512.HashData("x"u8))}}"}""" },
        { "EmptyString", """{"x5t#S256":""}""" },
    };

    [Theory]
    [MemberData(nameof(HostileConfirmations))]
    public async Task HostileCnf_IsRefusedAsBadConfirmation_EvenForThePeerItNames(string name, string cnf)
    {
        var result = await Verify(Token(cnf), DeviceA);

        Assert.True(result.Refusal == TokenRefusal.BadConfirmation, $"{name}: {result.Refusal} {result.Detail}");
        Assert.Null(result.Token);
    }

    // RFC 7519 §4: claim names are unique. A second cnf (or a second endpoint) could otherwise be read
    // one way here and another way by any other parser.
    [Theory]
    [InlineData("DuplicatedCnf", true)]
    [InlineData("DuplicatedCnfMember", false)]
    public async Task DuplicatedClaims_AreRefused(string name, bool wholeClaim)
    {
        var a = Base64Url.EncodeToString(DeviceA);
        var b = Base64Url.EncodeToString(DeviceB);
        var tail = wholeClaim
            ? $$""","cnf":{"x5t#S256":"{{b}}"},"cnf":{"x5t#S256":"{{a}}"}"""
            : $$""","cnf":{"x5t#S256":"{{b}}","x5t#S256":"{{a}}"}""";

        var result = await Verify(Token(null, tail), DeviceA);

        Assert.True(result.Refusal == TokenRefusal.BadJson, $"{name}: {result.Refusal} {result.Detail}");
    }

    [Fact]
    public void Check_UnitMatrix()
    {
        Assert.Equal(TokenRefusal.None, new TokenBinding(null, false).Check(null, out _));
        Assert.Equal(TokenRefusal.Unbound, new TokenBinding(DeviceA, true).Check(null, out _));
        Assert.Equal(TokenRefusal.None, new TokenBinding(DeviceA, true).Check((byte[])DeviceA.Clone(), out _));
        Assert.Equal(TokenRefusal.BindingMismatch, new TokenBinding(DeviceA, false).Check(DeviceB, out _));
        Assert.Equal(TokenRefusal.BindingMismatch, default(TokenBinding).Check(DeviceA, out _));
        Assert.Equal(SHA256.HashData("der"u8), TokenBinding.ThumbprintOf("der"u8));
    }
}
