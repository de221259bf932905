// The peer against scripted server requests, above all the rule that
// EAP-Success counts only after the server's "S=" was verified
// (the CVE-2021-45079 class).
using System.Text;
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class EapPeerSessionTests
{
    private static EapPeerSession NewPeer() =>
        new("User", MsChapV2Tests.Password, new FixedRandom(MsChapV2Tests.PeerChallenge));

    private static byte[] RfcChallenge(byte id = 2) =>
        MsChapV2Packet.CreateChallenge(id, id, MsChapV2Tests.AuthenticatorChallenge, "srv"u8);

    private static byte[] SuccessRequest(string message, byte id = 3) =>
        MsChapV2Packet.CreateMessageRequest(id, MsChapV2OpCode.Success, 2, message);

    private static readonly byte[] s_eapSuccess = EapPacket.CreateResult(EapCode.Success, 3);

    [Fact]
    public void AnswersIdentityWithTheRequestsIdentifier()
    {
        using var peer = NewPeer();
        var step = Assert.IsType<EapPeerStep.Respond>(peer.Process(EapPacket.Create(EapCode.Request, 77, EapType.Identity, default)));
        Assert.Equal(new byte[] { 2, 77, 0, 9, 1, (byte)'U', (byte)'s', (byte)'e', (byte)'r' }, step.Response);
    }

    [Fact]
    public void ScriptedRfc2759RunSucceeds()
    {
        using var peer = NewPeer();
        var response = Assert.IsType<EapPeerStep.Respond>(peer.Process(RfcChallenge())).Response;
        Assert.True(EapPacket.TryParse(response, out var p));
        Assert.Equal(2, p.Identifier);
        Assert.True(MsChapV2Packet.TryParse(p.TypeData, out var ms));
        Assert.True(ms.TryReadResponse(out _, out var nt, out var name));
        Assert.Equal(MsChapV2Tests.NtResponse, Convert.ToHexString(nt));
        Assert.Equal("User"u8.ToArray(), name.ToArray());

        var ack = Assert.IsType<EapPeerStep.Respond>(peer.Process(SuccessRequest(MsChapV2Tests.AuthenticatorResponse + " M=hello")));
        Assert.Equal(new byte[] { 2, 3, 0, 6, 26, 3 }, ack.Response);
        var done = Assert.IsType<EapPeerStep.Succeeded>(peer.Process(s_eapSuccess));
        Assert.Equal(MsChapV2Tests.ServerSendStartKey, Convert.ToHexString(done.Msk[16..32]));
    }

    [Fact]
    public void EapSuccessFirstThingIsRejected()
    {
        using var peer = NewPeer();
        Assert.IsType<EapPeerStep.Failed>(peer.Process(s_eapSuccess));
    }

    [Fact]
    public void EapSuccessAfterIdentityIsRejected()
    {
        using var peer = NewPeer();
        peer.Process(EapPacket.Create(EapCode.Request, 1, EapType.Identity, default));
        Assert.IsType<EapPeerStep.Failed>(peer.Process(s_eapSuccess));
    }

    [Fact]
    public void EapSuccessBeforeTheMsChapSuccessRequestIsRejected()
    {
        using var peer = NewPeer();
        peer.Process(RfcChallenge());
        var failed = Assert.IsType<EapPeerStep.Failed>(peer.Process(s_eapSuccess));
        Assert.Contains("EAP-Success before", failed.Reason);
        // And the session stays dead: a later genuine Success request does not revive it.
        Assert.IsType<EapPeerStep.Failed>(peer.Process(SuccessRequest(MsChapV2Tests.AuthenticatorResponse)));
    }

    [Theory]
    [InlineData("WrongDigest", "S=407A5589115FD0D6209F510FE9C04566932CDA57 M=x")]
    [InlineData("Missing", "M=welcome")]
    [InlineData("Truncated", "S=407A5589115FD0D6209F510FE9C04566932CDA")]
    [InlineData("Empty", "")]
    public void BadAuthenticatorResponseFailsAndBlocksEapSuccess(string name, string message)
    {
        Assert.NotEmpty(name);
        using var peer = NewPeer();
        peer.Process(RfcChallenge());
        Assert.IsType<EapPeerStep.Failed>(peer.Process(SuccessRequest(message)));
        Assert.IsType<EapPeerStep.Failed>(peer.Process(s_eapSuccess));
    }

    [Fact]
    public void MsChapFailureRequestEndsTheSession()
    {
        using var peer = NewPeer();
        peer.Process(RfcChallenge());
        var failed = Assert.IsType<EapPeerStep.Failed>(peer.Process(
            MsChapV2Packet.CreateMessageRequest(3, MsChapV2OpCode.Failure, 2, "E=691 R=0 C=00000000000000000000000000000000 V=3 M=bad\n")));
        Assert.Contains("E=691", failed.Reason);
        Assert.DoesNotContain("\n", failed.Reason);
    }

    [Fact]
    public void EapFailureEndsTheSession()
    {
        using var peer = NewPeer();
        peer.Process(RfcChallenge());
        Assert.IsType<EapPeerStep.Failed>(peer.Process(EapPacket.CreateResult(EapCode.Failure, 2)));
    }

    [Fact]
    public void NotificationIsAnswered()
    {
        using var peer = NewPeer();
        var step = Assert.IsType<EapPeerStep.Respond>(peer.Process(
            EapPacket.Create(EapCode.Request, 9, EapType.Notification, "password expires soon"u8)));
        Assert.Equal(new byte[] { 2, 9, 0, 5, 2 }, step.Response);
        // The exchange goes on normally afterwards.
        Assert.IsType<EapPeerStep.Respond>(peer.Process(RfcChallenge()));
    }

    [Fact]
    public void OtherMethodGetsLegacyNakForMsChapV2()
    {
        using var peer = NewPeer();
        // Type 4 is EAP-MD5-Challenge.
        var step = Assert.IsType<EapPeerStep.Respond>(peer.Process(EapPacket.Create(EapCode.Request, 4, (EapType)4, [16, 1, 2])));
        Assert.Equal(new byte[] { 2, 4, 0, 6, 3, 26 }, step.Response);
    }

    [Fact]
    public void SecondChallengeIsRejected()
    {
        using var peer = NewPeer();
        peer.Process(RfcChallenge());
        Assert.IsType<EapPeerStep.Failed>(peer.Process(RfcChallenge(3)));
    }

    [Theory]
    [InlineData("TooShort", "0102")]
    [InlineData("LengthBeyondData", "0102000A1A")]
    [InlineData("ResponseCode", "020200051A")]
    [InlineData("ChallengeValueSizeWrong", "0102001A1A01020015" + "0F" + "00000000000000000000000000000000" + "73")]
    [InlineData("ChallengeNameMissing", "010200191A01020014" + "10" + "00000000000000000000000000000000")]
    [InlineData("ChallengeBadMsLength", "0102001A1A010200FF" + "10" + "00000000000000000000000000000000" + "73")]
    [InlineData("ShortChallenge", "010200061A01")]
    public void MalformedRequestsFail(string name, string hex)
    {
        Assert.NotEmpty(name);
        using var peer = NewPeer();
        Assert.IsType<EapPeerStep.Failed>(peer.Process(Convert.FromHexString(hex)));
    }

    [Fact]
    public void DomainIsSentButNotHashed()
    {
        using var peer = new EapPeerSession(@"CORP\User", MsChapV2Tests.Password, new FixedRandom(MsChapV2Tests.PeerChallenge));
        var response = Assert.IsType<EapPeerStep.Respond>(peer.Process(RfcChallenge())).Response;
        Assert.True(EapPacket.TryParse(response, out var p));
        Assert.True(MsChapV2Packet.TryParse(p.TypeData, out var ms));
        Assert.True(ms.TryReadResponse(out _, out var nt, out var name));
        // RFC 2759 §9.2's NT-Response is for "User": the domain does not enter the hash.
        Assert.Equal(MsChapV2Tests.NtResponse, Convert.ToHexString(nt));
        Assert.Equal(@"CORP\User", Encoding.UTF8.GetString(name));
    }

    [Fact]
    public void ConstructorRefusesUnusableIdentity()
    {
        Assert.Throws<ArgumentException>(() => new EapPeerSession("", "pw"));
        Assert.Throws<ArgumentException>(() => new EapPeerSession("a\nb", "pw"));
    }
}
