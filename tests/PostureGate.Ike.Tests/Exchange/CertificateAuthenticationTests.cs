// IKE_AUTH with certificates, gateway and client in one process: the gateway signs (RSA, ECDSA) while
// the user does EAP-MSCHAPv2 (the Windows shape); a device certificate then EAP in two rounds (RFC 4739);
// a device certificate alone; and the refusals — another CA, a name not in the certificate, a revoked
// serial, a peer that skips the second round.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tests.Auth;

namespace PostureGate.Ike.Tests.Exchange;

public class CertificateAuthenticationTests
{
    private const string Uid = "6108A9179A5C40D7BD57504E15114C1F";
    private static readonly DateTimeOffset Start = new ManualTimeProvider().GetUtcNow();

    private readonly X509Certificate2 _ca = TestPki.Ca("PG Gateway CA", notBefore: Start.AddYears(-1), notAfter: Start.AddYears(5));
    private readonly X509Certificate2 _deviceCa = TestPki.Ca("PG Endpoint CA", notBefore: Start.AddYears(-1), notAfter: Start.AddYears(5));

    private X509Certificate2 GatewayCert(bool rsa, string dns = "gw.pg.example") =>
        TestPki.Issue(_ca, new TestPki.Leaf { Dns = [dns], NotBefore = Start.AddDays(-1), NotAfter = Start.AddDays(90) },
            rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256));

    private X509Certificate2 DeviceCert(X509Certificate2? ca = null) =>
        TestPki.Issue(ca ?? _deviceCa, new TestPki.Leaf
        {
            Subject = "CN=" + Uid, Dns = [], Uris = ["urn:posturegate:uid:" + Uid],
            NotBefore = Start.AddDays(-1), NotAfter = Start.AddDays(90),
        });

    private static PeerCertificatePolicy Trusting(X509Certificate2 ca, params IRevocationCheck[] revoked) =>
        new() { TrustedAuthorities = [ca], Revocations = revoked };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GatewaySignsWithItsCertificate_UserDoesEap(bool rsa)
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { LocalCertificates = [new LocalCertificateCredential(GatewayCert(rsa))] }));

        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { PeerCertificates = Trusting(_ca) })));

        Assert.True(result.Success, result.Error);
        var clientSa = Assert.Single(h.Client.AllSas);
        Assert.Equal("CN=gateway.example.com", clientSa.PeerCertificate!.Subject);
        Assert.Equal("alice", Assert.Single(h.Gateway.AllSas).EapIdentity);
    }

    // RFC 7427: both sides announced SIGNATURE_HASH_ALGORITHMS, so the gateway signs with method 14.
    [Fact]
    public async Task GatewayUsesDigitalSignature_WhenTheClientAnnouncedHashes()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { LocalCertificates = [new LocalCertificateCredential(GatewayCert(rsa: false))] }));
        var task = h.Client.InitiateAsync(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { PeerCertificates = Trusting(_ca) })));
        h.Network.Deliver(); // IKE_SA_INIT -->
        h.Network.Deliver(); // <-- IKE_SA_INIT
        h.Network.Deliver(); // IKE_AUTH 1 -->
        var gatewaySa = h.Gateway.AllSas.Single();
        var response = h.Network.Take();
        Assert.Equal(DecodeResult.Complete, IkeWire.TryDecode(gatewaySa, response.Bytes, fromPeerAsInitiator: false, out var message, out _, out _));
        Assert.Equal(AuthMethod.DigitalSignature, message!.Find<AuthPayload>()!.Method);
        Assert.Equal(PayloadType.Certificate, message.Payloads[1].Type);
        h.Network.Inject(response);
        h.Network.Pump();
        Assert.True((await task).Success);
    }

    // RFC 7296 §3.7: a phase1 with two certificates sends the one whose CA the client's CERTREQ names
    // (the client trusts only that CA), and names itself as that certificate does.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OfTwoGatewayCertificates_TheOneTheClientsCertreqNames_IsSent(bool secondCa)
    {
        var otherCa = TestPki.Ca("PG Other Gateway CA", notBefore: Start.AddYears(-1), notAfter: Start.AddYears(5));
        var first = new LocalCertificateCredential(GatewayCert(rsa: true), anchors: [_ca]);
        var second = new LocalCertificateCredential(TestPki.Issue(otherCa, new TestPki.Leaf
        {
            Subject = "CN=gw.other.example", Dns = ["gw.other.example"], NotBefore = Start.AddDays(-1), NotAfter = Start.AddDays(90),
        }), anchors: [otherCa]);
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { LocalId = null, LocalCertificates = [first, second] }));

        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { PeerCertificates = Trusting(secondCa ? otherCa : _ca) }))
            with { RemoteIdentity = null });

        Assert.True(result.Success, result.Error);
        var expected = secondCa ? second : first;
        Assert.Equal(expected.Certificate.Thumbprint, Assert.Single(h.Client.AllSas).PeerCertificate!.Thumbprint);
        var gatewaySa = Assert.Single(h.Gateway.AllSas);
        Assert.Same(expected, gatewaySa.LocalCertificate);
        Assert.Equal(expected.DefaultIdentity.ToString(), gatewaySa.LocalIdentity.ToString());
    }

    [Fact]
    public void GatewayCertificateFromAnotherCa_IsRefusedByTheClient()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { LocalCertificates = [new LocalCertificateCredential(GatewayCert(rsa: false))] }));
        var other = TestPki.Ca("Other CA", notBefore: Start.AddYears(-1), notAfter: Start.AddYears(5));

        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { PeerCertificates = Trusting(other) })));

        Assert.False(result.Success);
        Assert.Contains("does not chain to a configured CA", result.Error);
    }

    // What native clients refuse: the gateway's name is not in its certificate's SAN.
    [Fact]
    public void GatewayCertificateForAnotherName_IsRefusedByTheClient()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { LocalCertificates = [new LocalCertificateCredential(GatewayCert(false, "other.example"))] }));

        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { PeerCertificates = Trusting(_ca) })));

        Assert.False(result.Success);
        Assert.Contains("is not a name in its certificate", result.Error);
    }

    // RFC 4945 §3.1: the certificate must name the gateway the user dialled too, not only the IDr it chose to send;
    // a mismatch ends the exchange before any EAP message (no password hash goes to the wrong gateway).
    [Theory]
    [InlineData("gw.pg.example", true)]
    [InlineData("GW.PG.example", true)]
    [InlineData("vpn.other.example", false)]
    public void GatewayCertificate_MustNameTheDialledHost(string dialled, bool accepted)
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with { LocalCertificates = [new LocalCertificateCredential(GatewayCert(rsa: false))] }));

        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { PeerCertificates = Trusting(_ca) }))
            with { DialledName = IkeIdentity.Fqdn(dialled) });

        Assert.Equal(accepted, result.Success);
        Assert.Equal(!accepted, result.PeerCertificateRejected);
        if (!accepted)
        {
            Assert.Contains($"does not name {dialled}, the gateway dialled", result.Error);
            Assert.Null(Assert.Single(h.Gateway.AllSas).EapIdentity);
        }
    }

    private readonly CapturingHook _hook = new();

    private ExchangeHarness DeviceGateway(params IRevocationCheck[] revoked) =>
        new(ExchangeHarness.GatewayConfig(c => c with
        {
            LocalCertificates = [new LocalCertificateCredential(GatewayCert(rsa: false))],
            PeerCertificates = Trusting(_deviceCa, revoked),
        }), _hook);

    private IkeInitiatorOptions DeviceClient(X509Certificate2 device) =>
        ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with
        {
            LocalCertificates = [new LocalCertificateCredential(device)],
            PeerCertificates = Trusting(_ca),
        }));

    // RFC 4739: round 1 the device certificate, round 2 the user's EAP; the gate hears the certificate's UID.
    [Fact]
    public void DeviceCertificateThenEap_InTwoRounds_NamesTheUidToTheGate()
    {
        using var h = DeviceGateway();

        var result = h.Connect(DeviceClient(DeviceCert()));

        Assert.True(result.Success, result.Error);
        var sa = Assert.Single(h.Gateway.AllSas);
        Assert.Equal("CN=" + Uid, sa.PeerCertificate!.Subject);
        Assert.Equal("alice", sa.EapIdentity);
        Assert.Equal(Uid, _hook.Contexts.Single().DeviceCertificateUid);
    }

    [Fact]
    public void DeviceCertificateFromAnotherCa_IsAuthenticationFailed()
    {
        using var h = DeviceGateway();
        var rogue = TestPki.Ca("PG Endpoint CA", notBefore: Start.AddYears(-1), notAfter: Start.AddYears(5)); // same name, other key

        var result = h.Connect(DeviceClient(DeviceCert(rogue)));

        Assert.False(result.Success);
        Assert.Contains("AUTHENTICATION_FAILED", result.Error);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Contains(h.GatewayLog.Entries, e => e.Message.Contains("does not chain to a configured CA", StringComparison.Ordinal));
        Assert.DoesNotContain(h.GatewayLog.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public void RevokedDeviceCertificate_IsAuthenticationFailed()
    {
        var device = DeviceCert();
        using var h = DeviceGateway(new RevokedSerials(_deviceCa, [device.SerialNumber]));

        var result = h.Connect(DeviceClient(device));

        Assert.False(result.Success);
        Assert.Contains("AUTHENTICATION_FAILED", result.Error);
        Assert.Contains(h.GatewayLog.Entries, e => e.Message.Contains("is revoked", StringComparison.Ordinal));
    }

    // Issue 10: a revocation pushed after the handshake finds the live instance the certificate authenticated
    // (the gateway deletes it), and the same set refuses the certificate's next IKE_AUTH.
    [Fact]
    public void ARevocationPushedLater_FindsTheLiveInstance_AndRefusesTheNextHandshake()
    {
        var device = DeviceCert();
        var revoked = new RevokedSerials(_deviceCa);
        using var h = DeviceGateway(revoked);
        Assert.True(h.Connect(DeviceClient(device)).Success);
        var sa = Assert.Single(h.Gateway.AllSas);
        Assert.Equal(_deviceCa.Subject, sa.PeerCertificateIssuer!.Subject);
        Assert.Empty(h.Gateway.InstancesWithRevokedCertificates(revoked));

        revoked.Revoke(device.SerialNumber);

        var found = Assert.Single(h.Gateway.InstancesWithRevokedCertificates(revoked));
        Assert.Equal((sa.Instance!, "dialup", device.SerialNumber), found);
        Assert.Empty(h.Gateway.InstancesWithRevokedCertificates(new RevokedSerials(TestPki.Ca("PG Endpoint CA"), [device.SerialNumber])));
        var again = h.Connect(DeviceClient(device));
        Assert.False(again.Success);
        Assert.Contains("AUTHENTICATION_FAILED", again.Error);
    }

    // Revoked after the certificate round verified but before EAP ended: there was no named tunnel to delete
    // yet, so the end of authentication checks again.
    [Fact]
    public async Task ACertificateRevokedDuringTheEapRound_IsRefusedWhenAuthenticationEnds()
    {
        var device = DeviceCert();
        var revoked = new RevokedSerials(_deviceCa);
        using var h = DeviceGateway(revoked);
        var task = h.Client.InitiateAsync(DeviceClient(device));
        h.Network.Deliver(); // IKE_SA_INIT -->
        h.Network.Deliver(); // <-- IKE_SA_INIT
        h.Network.Deliver(); // IKE_AUTH 1 --> (the device certificate, verified)
        Assert.Equal(device.SerialNumber, Assert.Single(h.Gateway.AllSas).PeerCertificate!.SerialNumber);

        revoked.Revoke(device.SerialNumber);
        h.Network.Pump();

        var result = await task;
        Assert.False(result.Success);
        Assert.Contains("AUTHENTICATION_FAILED", result.Error);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Contains(h.GatewayLog.Entries, e => e.Message.Contains("was revoked during authentication", StringComparison.Ordinal));
    }

    // IkeSa.PeerCertificate belongs to the SA: set when the AUTH verified, released when the SA goes.
    [Fact]
    public void ThePeerCertificate_IsReleasedWithTheSa()
    {
        using var h = DeviceGateway();
        Assert.True(h.Connect(DeviceClient(DeviceCert())).Success);
        var sa = Assert.Single(h.Gateway.AllSas);
        var certificate = sa.PeerCertificate!;
        Assert.NotEqual(IntPtr.Zero, certificate.Handle);

        Assert.Equal(1, h.Gateway.Clear());

        Assert.Null(sa.PeerCertificate);
        Assert.Null(sa.PeerCertificateIssuer);
        Assert.Equal(IntPtr.Zero, certificate.Handle);
    }

    // §2.18: the IKE SA that replaces a certificate-authenticated one keeps what was proven — its own copy of the
    // certificate, so the old SA's going does not take it away and a later revocation still finds the tunnel.
    [Fact]
    public void AnIkeSaRekey_KeepsThePeerCertificate_AndARevocationStillFindsTheTunnel()
    {
        var device = DeviceCert();
        var revoked = new RevokedSerials(_deviceCa);
        using var h = DeviceGateway(revoked);
        Assert.True(h.Connect(DeviceClient(device)).Success);
        var old = Assert.Single(h.Gateway.AllSas);

        Assert.True(h.Gateway.RekeyIkeSa("dialup_0"));
        h.Network.Pump();

        var fresh = Assert.Single(h.Gateway.AllSas, s => s.State == IkeSaState.Established);
        Assert.NotSame(old, fresh);
        Assert.Null(old.PeerCertificate);
        Assert.Equal(device.SerialNumber, fresh.PeerCertificate!.SerialNumber);
        revoked.Revoke(device.SerialNumber);
        Assert.Equal("dialup_0", Assert.Single(h.Gateway.InstancesWithRevokedCertificates(revoked)).Instance);
    }

    // The phase1 wants both rounds: EAP alone (no device certificate) is refused.
    [Fact]
    public void EapWithoutTheDeviceCertificateRound_IsRefused()
    {
        using var h = DeviceGateway();

        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with { PeerCertificates = Trusting(_ca) })));

        Assert.False(result.Success);
        Assert.Empty(h.GatewayInstaller.Installed);
        Assert.Contains(h.GatewayLog.Entries, e => e.Message.Contains("no ANOTHER_AUTH_FOLLOWS", StringComparison.Ordinal));
    }

    // eap disable: the device certificate alone authenticates (FortiOS authmethod signature + peer).
    [Fact]
    public void DeviceCertificateAlone_WithoutEap()
    {
        using var h = new ExchangeHarness(ExchangeHarness.GatewayConfig(c => c with
        {
            EapEnabled = false,
            LocalCertificates = [new LocalCertificateCredential(GatewayCert(rsa: true))],
            PeerCertificates = Trusting(_deviceCa),
        }));

        var result = h.Connect(ExchangeHarness.Alice(ExchangeHarness.ClientConfig(c => c with
        {
            EapEnabled = false,
            LocalCertificates = [new LocalCertificateCredential(DeviceCert())],
            PeerCertificates = Trusting(_ca),
        })));

        Assert.True(result.Success, result.Error);
        Assert.Equal("CN=" + Uid, Assert.Single(h.Gateway.AllSas).PeerCertificate!.Subject);
    }

    private sealed class CapturingHook : IPostAuthenticationHook
    {
        public List<PostAuthenticationContext> Contexts { get; } = [];

        public ValueTask<PostAuthenticationDecision> OnAuthenticatedAsync(PostAuthenticationContext context, CancellationToken cancellationToken)
        {
            Contexts.Add(context);
            return ValueTask.FromResult<PostAuthenticationDecision>(PostAuthenticationDecision.Allowed);
        }
    }
}
