// The gate with bound tokens (RFC 7800 §3.1 cnf, RFC 8705 §3.1 x5t#S256): with the EMS away, a
// token decides only for the peer that proved the certificate it names in this IKE SA; with
// ztna-token-binding enable an unbound token decides nothing. Each refusal is an audit reason.
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using PostureGate.Admission;

namespace PostureGate.Posture.Tests.Gate;

public sealed class TokenBindingGateTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
    private const string Ip = "10.160.1.197";
    private static readonly byte[] CertA = SHA256.HashData("device A"u8);
    private static readonly byte[] CertB = SHA256.HashData("device B"u8);

    private static string Bound(GateFixture f, byte[]? cnf, long iat, string[]? tags = null)
    {
        var payload = TestTokens.Payload(Uid, tags ?? ["a"], iat, iat + 3600);
        if (cnf is not null)
            payload = payload[..^1] + $$""","cnf":{"x5t#S256":"{{Base64Url.EncodeToString(cnf)}}"}""" + "}";
        return f.Tokens.Sign(f.Tokens.Header(), payload);
    }

    private static PostureRequest Request(string token, byte[]? proven, bool required = false, string instance = "dialup_0")
    {
        var r = GateFixture.Request(["EMS3_ZTNA_a"], Ip, GateFixture.FctBody(Uid, Ip), token, instance: instance);
        return r with
        {
            Match = r.Match with { RequireTokenBinding = required },
            ProvenCertificateSha256 = proven,
            DeviceCertificateUid = proven is null ? null : Uid,
        };
    }

    [Fact]
    public async Task BoundToken_AdmitsThePeerThatProvedItsCertificate()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var decision = await f.Gate.EvaluateAsync(Request(Bound(f, CertA, now), CertA, required: true), CancellationToken.None);

        var allow = Assert.IsType<PostureDecision.Allow>(decision);
        Assert.Equal((PostureSource.Token, "EMS3_ZTNA_a"), (allow.Source, allow.MatchedTag));
    }

    // The stolen token: copied from device A's disk and presented by a peer that proved no
    // certificate (EAP only), or another one. Before binding, the first was admitted.
    [Fact]
    public async Task BoundToken_FromAPeerThatProvedNoOrAnotherCertificate_IsRefusedWithAnAuditReason()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        var token = Bound(f, CertA, DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var noProof = await f.Gate.EvaluateAsync(Request(token, proven: null), CancellationToken.None);
        var otherProof = await f.Gate.EvaluateAsync(Request(token, CertB, instance: "dialup_1"), CancellationToken.None);

        foreach (var decision in new[] { noProof, otherProof })
        {
            var deny = Assert.IsType<PostureDecision.Deny>(decision);
            Assert.Equal(PrivateNotifies.ZtnaTagsCheckFailure, deny.NotifyType);
            Assert.Equal("EMS ZTNA tags check failed: token refused: BindingMismatch", deny.Reason);
            Assert.Equal(PostureReasonCode.TokenRefused, deny.UserReason!.Code);
            Assert.Contains("not bound to the device certificate", deny.UserReason.Text);
        }
        Assert.Empty(f.Gate.LiveTunnels);
        Assert.All(f.Audit.Records.Where(r => r.Event == "decision"), r => Assert.Equal("EMS ZTNA tags check failed: token refused: BindingMismatch", r.Reason));
    }

    [Fact]
    public async Task UnboundToken_AdmitsAsTheSeedDescribes_UnlessThePhase1RequiresBinding()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var seed = await f.Gate.EvaluateAsync(Request(Bound(f, null, now - 10), proven: null), CancellationToken.None);
        var required = await f.Gate.EvaluateAsync(Request(Bound(f, null, now), CertA, required: true, instance: "dialup_1"), CancellationToken.None);

        Assert.Equal(PostureSource.Token, Assert.IsType<PostureDecision.Allow>(seed).Source);
        Assert.Equal("EMS ZTNA tags check failed: token refused: Unbound", Assert.IsType<PostureDecision.Deny>(required).Reason);
        Assert.Equal("EMS ZTNA tags check failed: token refused: Unbound", f.Audit.Records.Last(r => r.Event == "decision").Reason);
    }

    // A token sent later (INFORMATIONAL) is held to what the IKE SA proved when it was admitted.
    [Fact]
    public async Task TokenUpdate_IsCheckedAgainstTheCertificateTheSaProved()
    {
        await using var f = new GateFixture(connectorId: 3, down: true);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.IsType<PostureDecision.Allow>(await f.Gate.EvaluateAsync(Request(Bound(f, CertA, now - 20), CertA), CancellationToken.None));

        var other = await f.Gate.OnTokenUpdateAsync("dialup_0", Encoding.ASCII.GetBytes(Bound(f, CertB, now - 10)));
        var own = await f.Gate.OnTokenUpdateAsync("dialup_0", Encoding.ASCII.GetBytes(Bound(f, CertA, now - 5)));

        Assert.Equal(TokenRefusal.BindingMismatch, other.Refusal);
        Assert.True(own.IsValid, $"{own.Refusal} {own.Detail}");
        Assert.Single(f.Gate.LiveTunnels);
    }
}
