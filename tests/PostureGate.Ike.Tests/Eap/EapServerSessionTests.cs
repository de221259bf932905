// The authenticator against scripted (and hostile) peer responses: every
// deviation ends in EAP-Failure, never an exception, and never a success.
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class EapServerSessionTests
{
    private const byte FirstId = 0x10;

    private static EapServerSession NewServer() =>
        new(name => name == "User" ? MsChapV2Tests.Password : null, "PostureGate",
            new FixedRandom([FirstId], MsChapV2Tests.AuthenticatorChallenge));

    private static byte[] IdentityResponse(byte id, string identity) =>
        EapPacket.Create(EapCode.Response, id, EapType.Identity, System.Text.Encoding.UTF8.GetBytes(identity));

    /// <summary>The RFC 2759 §9.2 Response, which the server (with the RFC's challenge) accepts.</summary>
    private static byte[] GoodMsChapResponse(byte id, byte msId, string name = "User") =>
        MsChapV2Packet.CreateResponse(id, msId, MsChapV2Tests.PeerChallenge,
            Convert.FromHexString(MsChapV2Tests.NtResponse), System.Text.Encoding.UTF8.GetBytes(name));

    private static EapServerStep.Failed AssertFailed(EapServerStep step, byte identifier)
    {
        var failed = Assert.IsType<EapServerStep.Failed>(step);
        Assert.Equal(EapPacket.CreateResult(EapCode.Failure, identifier), failed.Failure);
        Assert.False(string.IsNullOrEmpty(failed.Reason));
        return failed;
    }

    [Fact]
    public void StartSendsIdentityRequestOnce()
    {
        using var server = NewServer();
        Assert.Equal(new byte[] { 1, FirstId, 0, 5, 1 }, server.Start());
        Assert.Throws<InvalidOperationException>(() => server.Start());
        Assert.Null(server.Identity);
    }

    [Fact]
    public void ChallengeCarriesRandomChallengeAndServerName()
    {
        using var server = NewServer();
        server.Start();
        var step = Assert.IsType<EapServerStep.Continue>(server.Process(IdentityResponse(FirstId, "User")));
        Assert.Equal("User", server.Identity);
        Assert.True(EapPacket.TryParse(step.Request, out var p));
        Assert.Equal(EapCode.Request, p.Code);
        Assert.Equal(FirstId + 1, p.Identifier);
        Assert.True(MsChapV2Packet.TryParse(p.TypeData, out var ms));
        Assert.Equal(FirstId + 1, ms.MsChapV2Id);
        Assert.True(ms.TryReadChallenge(out var challenge, out var name));
        Assert.Equal(MsChapV2Tests.AuthenticatorChallenge, challenge.ToArray());
        Assert.Equal("PostureGate"u8.ToArray(), name.ToArray());
    }

    [Fact]
    public void FullRunWithScriptedPeer()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        var success = Assert.IsType<EapServerStep.Continue>(server.Process(GoodMsChapResponse(FirstId + 1, FirstId + 1)));
        Assert.True(EapPacket.TryParse(success.Request, out var p));
        Assert.Equal(FirstId + 2, p.Identifier);
        // strongSwan's peer acknowledges with the OpCode alone.
        var done = Assert.IsType<EapServerStep.Succeeded>(
            server.Process(MsChapV2Packet.CreateShortResponse(FirstId + 2, MsChapV2OpCode.Success)));
        Assert.Equal(new byte[] { 3, FirstId + 2, 0, 4 }, done.Success);
        Assert.Equal(MsChapV2.CreateMsk(Convert.FromHexString(MsChapV2Tests.PasswordHash), Convert.FromHexString(MsChapV2Tests.NtResponse)), done.Msk);
        // Anything after the end is a failure, not a second success.
        AssertFailed(server.Process(MsChapV2Packet.CreateShortResponse(FirstId + 2, MsChapV2OpCode.Success)), FirstId + 2);
    }

    [Fact]
    public void ProcessBeforeStartFails()
    {
        using var server = NewServer();
        AssertFailed(server.Process(IdentityResponse(0, "User")), 0);
    }

    [Theory]
    [InlineData("TooShort", "0210")]
    [InlineData("LengthBeyondData", "0210000901")]
    [InlineData("UnknownCode", "0910000501")]
    public void MalformedIdentityResponseFails(string name, string hex)
    {
        Assert.NotEmpty(name);
        using var server = NewServer();
        server.Start();
        AssertFailed(server.Process(Convert.FromHexString(hex)), FirstId);
        Assert.Null(server.Identity);
    }

    [Theory]
    [InlineData("Empty", "")]
    [InlineData("ControlCharacter", "us\ner")]
    [InlineData("Nul", "us\0er")]
    public void BadIdentityFails(string name, string identity)
    {
        Assert.NotEmpty(name);
        using var server = NewServer();
        server.Start();
        AssertFailed(server.Process(IdentityResponse(FirstId, identity)), FirstId);
        Assert.Null(server.Identity);
    }

    [Fact]
    public void InvalidUtf8IdentityFails()
    {
        using var server = NewServer();
        server.Start();
        AssertFailed(server.Process(EapPacket.Create(EapCode.Response, FirstId, EapType.Identity, [0x75, 0xC3, 0x28])), FirstId);
        Assert.Null(server.Identity);
    }

    [Fact]
    public void RequestCodeFromPeerFails()
    {
        using var server = NewServer();
        server.Start();
        AssertFailed(server.Process(EapPacket.Create(EapCode.Request, FirstId, EapType.Identity, "User"u8)), FirstId);
    }

    [Fact]
    public void WrongIdentifierFails()
    {
        using var server = NewServer();
        server.Start();
        AssertFailed(server.Process(IdentityResponse(FirstId + 5, "User")), FirstId + 5);
        Assert.Null(server.Identity);
    }

    [Fact]
    public void ReplayedIdentityResponseAfterChallengeFails()
    {
        using var server = NewServer();
        server.Start();
        var identity = IdentityResponse(FirstId, "User");
        server.Process(identity);
        AssertFailed(server.Process(identity), FirstId);
        // The session is over: even the genuine response no longer succeeds.
        AssertFailed(server.Process(GoodMsChapResponse(FirstId + 1, FirstId + 1)), FirstId + 1);
    }

    [Fact]
    public void ReplayedMsChapResponseAfterSuccessRequestFails()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        var response = GoodMsChapResponse(FirstId + 1, FirstId + 1);
        Assert.IsType<EapServerStep.Continue>(server.Process(response));
        AssertFailed(server.Process(response), FirstId + 1);
    }

    [Fact]
    public void NakFails()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        var failed = AssertFailed(server.Process(EapPacket.Create(EapCode.Response, FirstId + 1, EapType.Nak, [4])), FirstId + 1);
        Assert.Contains("Nak", failed.Reason);
    }

    [Fact]
    public void WrongMsChapV2IdFails()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        AssertFailed(server.Process(GoodMsChapResponse(FirstId + 1, 0x77)), FirstId + 1);
    }

    [Fact]
    public void SuccessAckBeforeResponseFails()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        AssertFailed(server.Process(MsChapV2Packet.CreateShortResponse(FirstId + 1, MsChapV2OpCode.Success)), FirstId + 1);
    }

    [Fact]
    public void PeerFailureAbortFails()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        var failed = AssertFailed(server.Process(MsChapV2Packet.CreateShortResponse(FirstId + 1, MsChapV2OpCode.Failure)), FirstId + 1);
        Assert.Contains("aborted", failed.Reason);
    }

    [Fact]
    public void PeerRejectingOurAuthenticatorFails()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        server.Process(GoodMsChapResponse(FirstId + 1, FirstId + 1));
        AssertFailed(server.Process(MsChapV2Packet.CreateShortResponse(FirstId + 2, MsChapV2OpCode.Failure)), FirstId + 2);
    }

    [Theory]
    [InlineData("TruncatedResponse")]
    [InlineData("BadMsLength")]
    [InlineData("WrongType")]
    [InlineData("NameMissing")]
    public void MalformedMsChapResponseFails(string name)
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        var good = GoodMsChapResponse(FirstId + 1, FirstId + 1);
        byte[] bad = name switch
        {
            "TruncatedResponse" => EapPacket.Create(EapCode.Response, FirstId + 1, EapType.MsChapV2, [2, FirstId + 1, 0, 10, 49, 0, 0, 0, 0, 0]),
            "BadMsLength" => [.. good[..7], 0xFF, 0xFF, .. good[9..]],
            "WrongType" => [.. good[..4], (byte)EapType.Notification, .. good[5..]],
            "NameMissing" => MsChapV2Packet.CreateResponse(FirstId + 1, FirstId + 1, MsChapV2Tests.PeerChallenge,
                Convert.FromHexString(MsChapV2Tests.NtResponse), default),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        AssertFailed(server.Process(bad), FirstId + 1);
    }

    [Fact]
    public void NameInResponseIsWhatGetsVerified()
    {
        // The identity said "other", the MS-CHAPv2 Name says "User": the lookup and the
        // hash use the Name, and Identity becomes the verified name.
        var asked = new List<string>();
        using var server = new EapServerSession(n => { asked.Add(n); return n == "User" ? MsChapV2Tests.Password : null; },
            "PostureGate", new FixedRandom([FirstId], MsChapV2Tests.AuthenticatorChallenge));
        server.Start();
        server.Process(IdentityResponse(FirstId, "other"));
        Assert.Equal("other", server.Identity);
        Assert.IsType<EapServerStep.Continue>(server.Process(GoodMsChapResponse(FirstId + 1, FirstId + 1)));
        Assert.Equal(["User"], asked);
        Assert.Equal("User", server.Identity);
    }

    [Fact]
    public void TamperedNtResponseFails()
    {
        using var server = NewServer();
        server.Start();
        server.Process(IdentityResponse(FirstId, "User"));
        var response = GoodMsChapResponse(FirstId + 1, FirstId + 1);
        response[5 + 4 + 1 + 16 + 8] ^= 0x01;
        var failed = AssertFailed(server.Process(response), FirstId + 1);
        Assert.Contains("wrong password", failed.Reason);
        Assert.DoesNotContain(MsChapV2Tests.Password, failed.Reason);
    }
}
