// The EAP-TLS authenticator (RFC 5216, RFC 9190) against a BouncyCastle TLS peer and against hostile
// responses: a handshake with a trusted device certificate succeeds with the MSK the peer derives and
// the certificate validated; every deviation — no certificate, another CA, a revoked serial, an ID the
// certificate does not name, data where an acknowledgement is due, a reordered fragment — ends in
// EAP-Failure with a reason, never an exception and never a success.
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Tls;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Eap;
using PostureGate.Ike.Eap.Tls;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tests.Auth;
using PostureGate.Testing;

namespace PostureGate.Ike.Tests.Eap.Tls;

public sealed class EapTlsServerSessionTests : IDisposable
{
    private const string Uid = "6108A9179A5C40D7BD57504E15114C1F";
    private static readonly X509Certificate2 GatewayCa = TestPki.Ca("Gateway CA");
    private static readonly X509Certificate2 DeviceCa = TestPki.Ca("Device CA");
    private static readonly LocalCertificateCredential Gateway = new(TestPki.Issue(GatewayCa, new TestPki.Leaf()));
    private readonly X509Certificate2 _device = Device(DeviceCa);

    public void Dispose() => _device.Dispose();

    private static X509Certificate2 Device(X509Certificate2 ca, byte[]? serial = null) =>
        TestPki.Issue(ca, new TestPki.Leaf { Subject = "CN=" + Uid, Dns = [], Uris = ["urn:posturegate:uid:" + Uid], Serial = serial });

    private static EapTlsServerSession Server(PeerCertificatePolicy? policy = null, X509Certificate2? idOf = null, int fragmentSize = 1024)
    {
        policy ??= new PeerCertificatePolicy { TrustedAuthorities = [DeviceCa] };
        var validator = new PeerCertificateValidator(policy, new ManualTimeProvider(TestPki.Now));
        var idData = (idOf ?? GatewayCa).SubjectName.RawData;
        return new EapTlsServerSession(Gateway, policy, certs => validator.Validate(certs, IdType.DerAsn1Dn, idData), fragmentSize);
    }

    /// <summary>Identity, then EAP-TLS Start (RFC 5216 §2.1.1): the request the peer answers first.</summary>
    private static byte[] Started(EapTlsServerSession server)
    {
        Assert.True(EapPacket.TryParse(server.Start(), out var identity));
        var step = Assert.IsType<EapServerStep.Continue>(server.Process(
            EapPacket.Create(EapCode.Response, identity.Identifier, EapType.Identity, "device"u8)));
        Assert.True(EapPacket.TryParse(step.Request, out var start));
        Assert.Equal(EapType.Tls, start.Type);
        Assert.True(EapTlsPacket.TryParse(start.TypeData, out var tls));
        Assert.Equal(EapTlsFlags.Start, tls.Flags);
        Assert.True(tls.Data.IsEmpty);
        return step.Request;
    }

    /// <summary>Plays the peer until the server succeeds or fails.</summary>
    private static EapServerStep Run(EapTlsServerSession server, EapTlsTestPeer peer)
    {
        var request = Started(server);
        for (var round = 0; round < 100; round++)
        {
            var step = server.Process(peer.Respond(request));
            if (step is not EapServerStep.Continue c)
                return step;
            request = c.Request;
        }
        throw new InvalidOperationException("the EAP-TLS exchange did not end");
    }

    private static string Failure(EapServerStep step)
    {
        var failed = Assert.IsType<EapServerStep.Failed>(step);
        Assert.True(EapPacket.TryParse(failed.Failure, out var p));
        Assert.Equal(EapCode.Failure, p.Code);
        return failed.Reason;
    }

    public static TheoryData<string> Versions => ["1.2", "1.3"];

    private static ProtocolVersion[] Offer(string version) =>
        version == "1.3" ? [ProtocolVersion.TLSv13] : [ProtocolVersion.TLSv12];

    [Theory]
    [MemberData(nameof(Versions))]
    public void TrustedDeviceCertificateSucceedsWithThePeersMsk(string version)
    {
        using var server = Server(idOf: _device);
        var peer = new EapTlsTestPeer(_device, Offer(version));

        var done = Assert.IsType<EapServerStep.Succeeded>(Run(server, peer));

        Assert.Equal(version == "1.3", peer.IsTls13);
        Assert.Equal("TLS " + version, server.NegotiatedVersion);
        Assert.Equal(64, done.Msk.Length);
        Assert.Equal(peer.Msk, done.Msk);
        Assert.Equal(_device.Thumbprint, done.PeerCertificate!.Thumbprint);
        Assert.Equal(Uid, server.Identity);
        Assert.True(EapPacket.TryParse(done.Success, out var success));
        Assert.Equal(EapCode.Success, success.Code);
        if (version == "1.3")
            Assert.Equal(new byte[] { 0 }, peer.ApplicationData()); // RFC 9190 §2.5 commitment
        Assert.True(DeviceCertificateUid.TryRead(done.PeerCertificate, out var uid, out _));
        Assert.Equal(Uid, uid);
    }

    [Fact]
    public void SmallFragmentsBothWaysAreReassembledAndAcknowledged()
    {
        using var server = Server(idOf: _device, fragmentSize: 64);
        var peer = new EapTlsTestPeer(_device, [ProtocolVersion.TLSv12], fragmentSize: 50);

        var done = Assert.IsType<EapServerStep.Succeeded>(Run(server, peer));

        Assert.Equal(peer.Msk, done.Msk);
    }

    [Fact]
    public void NoClientCertificateIsRefused()
    {
        using var server = Server(idOf: _device);

        Assert.Contains("no client certificate", Failure(Run(server, new EapTlsTestPeer(null, [ProtocolVersion.TLSv12]))));
    }

    [Fact]
    public void ACertificateFromAnotherCaWithTheSameNameIsRefused()
    {
        using var rogue = Device(TestPki.Ca("Device CA"));
        using var server = Server(idOf: rogue);

        Assert.Contains("does not chain to a configured CA", Failure(Run(server, new EapTlsTestPeer(rogue, [ProtocolVersion.TLSv13]))));
    }

    [Fact]
    public void ARevokedSerialIsRefused()
    {
        var policy = new PeerCertificatePolicy { TrustedAuthorities = [DeviceCa], Revocations = [new RevokedSerials(DeviceCa, [_device.SerialNumber])] };
        using var server = Server(policy, idOf: _device);

        Assert.Contains("is revoked", Failure(Run(server, new EapTlsTestPeer(_device, [ProtocolVersion.TLSv12]))));
    }

    [Fact]
    public void AnIkeIdTheCertificateDoesNotNameIsRefused()
    {
        using var server = Server(idOf: GatewayCa);

        Assert.Contains("is not a name in its certificate", Failure(Run(server, new EapTlsTestPeer(_device, [ProtocolVersion.TLSv12]))));
    }

    [Fact]
    public void DataInsteadOfTheAcknowledgementOfOurFragmentFails()
    {
        using var server = Server(idOf: _device, fragmentSize: 64);
        var peer = new EapTlsTestPeer(_device, [ProtocolVersion.TLSv12]);
        var request = Started(server);
        // ClientHello → the server's flight, first fragment (M set).
        var first = Assert.IsType<EapServerStep.Continue>(server.Process(peer.Respond(request)));
        Assert.True(EapPacket.TryParse(first.Request, out var p));
        Assert.True(EapTlsPacket.TryParse(p.TypeData, out var tls));
        Assert.True(tls.Has(EapTlsFlags.MoreFragments) && tls.MessageLength > 64);

        var notAnAck = EapTlsPacket.Create(EapCode.Response, p.Identifier, EapTlsFlags.None, null, new byte[10]);

        Assert.Contains("expected an EAP-TLS acknowledgement", Failure(server.Process(notAnAck)));
    }

    [Fact]
    public void AReplayedFragmentWithTheEarlierIdentifierFails()
    {
        using var server = Server(idOf: _device);
        var peer = new EapTlsTestPeer(_device, [ProtocolVersion.TLSv12], fragmentSize: 40);
        var request = Started(server);
        var firstFragment = peer.Respond(request);
        var ack = Assert.IsType<EapServerStep.Continue>(server.Process(firstFragment));
        Assert.True(EapPacket.TryParse(ack.Request, out var a));
        Assert.True(EapTlsPacket.TryParse(a.TypeData, out var ackTls) && ackTls.IsAcknowledgement);

        Assert.Contains("does not match the request's", Failure(server.Process(firstFragment)));
        // Finished: nothing after a failure succeeds.
        Assert.IsType<EapServerStep.Failed>(server.Process(peer.Respond(ack.Request)));
    }

    [Fact]
    public void ALyingLengthOrAnOversizedMessageFailsAtOnce()
    {
        using var lying = Server();
        var request = Started(lying);
        Assert.True(EapPacket.TryParse(request, out var p));
        Assert.Contains("does not match", Failure(lying.Process(
            EapTlsPacket.Create(EapCode.Response, p.Identifier, EapTlsFlags.None, 100, new byte[10]))));

        using var huge = Server();
        request = Started(huge);
        Assert.True(EapPacket.TryParse(request, out p));
        Assert.Contains("more than", Failure(huge.Process(
            EapTlsPacket.Create(EapCode.Response, p.Identifier, EapTlsFlags.MoreFragments, 0x7fff_ffff, new byte[10]))));
    }

    [Fact]
    public void GarbageInsteadOfAClientHelloFailsWithoutAnException()
    {
        using var server = Server();
        var request = Started(server);
        Assert.True(EapPacket.TryParse(request, out var p));

        var reason = Failure(server.Process(EapTlsPacket.Create(EapCode.Response, p.Identifier, EapTlsFlags.None, null, new byte[] { 99, 3, 3, 0, 2, 99, 99 })));

        Assert.StartsWith("TLS handshake failed", reason);
    }

    [Fact]
    public void AnIdentityOfDerOctetsIsTakenAsAHintOnly()
    {
        // strongSwan answers Request/Identity with its IKE ID's encoding: a DER DN for a certificate subject.
        using var server = Server();
        Assert.True(EapPacket.TryParse(server.Start(), out var identity));

        var step = Assert.IsType<EapServerStep.Continue>(server.Process(
            EapPacket.Create(EapCode.Response, identity.Identifier, EapType.Identity, _device.SubjectName.RawData)));

        Assert.True(EapPacket.TryParse(step.Request, out var start));
        Assert.Equal(EapType.Tls, start.Type);
        Assert.Null(server.Identity);
    }

    [Fact]
    public void ANakOrAnotherTypeFails()
    {
        using var server = Server();
        var request = Started(server);
        Assert.True(EapPacket.TryParse(request, out var p));

        Assert.Contains("Nak", Failure(server.Process(EapPacket.Create(EapCode.Response, p.Identifier, EapType.Nak, [26]))));
    }
}
