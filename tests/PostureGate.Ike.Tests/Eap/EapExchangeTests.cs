// Server and peer sessions run against each other, the way two IKE SAs relay
// EAP payloads in IKE_AUTH (strongSwan's exchange tests in spirit).
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class EapExchangeTests
{
    private static readonly Dictionary<string, string> s_users = new(StringComparer.Ordinal)
    {
        ["User"] = MsChapV2Tests.Password,
        ["alice"] = "correct horse battery staple",
        [@"CORP\bob"] = "Sommer2026!",
    };

    private static string? Lookup(string name) => s_users.GetValueOrDefault(name);

    /// <summary>Relays until one side finishes; returns both final steps and the transcript.</summary>
    private static (EapServerStep Server, EapPeerStep Peer, List<byte[]> Wire) Run(EapServerSession server, EapPeerSession peer)
    {
        var wire = new List<byte[]>();
        var request = server.Start();
        for (var round = 0; round < 10; round++)
        {
            wire.Add(request);
            var peerStep = peer.Process(request);
            if (peerStep is not EapPeerStep.Respond respond)
                return (new EapServerStep.Continue(request), peerStep, wire);
            wire.Add(respond.Response);
            var serverStep = server.Process(respond.Response);
            switch (serverStep)
            {
                case EapServerStep.Continue next:
                    request = next.Request;
                    break;
                case EapServerStep.Succeeded ok:
                    wire.Add(ok.Success);
                    return (serverStep, peer.Process(ok.Success), wire);
                case EapServerStep.Failed failed:
                    wire.Add(failed.Failure);
                    return (serverStep, peer.Process(failed.Failure), wire);
            }
        }
        throw new InvalidOperationException("exchange did not finish");
    }

    [Fact]
    public void Rfc2759SampleEndToEnd()
    {
        // Server: Identifier 0x41, then the RFC's AuthenticatorChallenge; peer: the RFC's PeerChallenge.
        using var server = new EapServerSession(Lookup, "PostureGate", new FixedRandom([0x41], MsChapV2Tests.AuthenticatorChallenge));
        using var peer = new EapPeerSession("User", MsChapV2Tests.Password, new FixedRandom(MsChapV2Tests.PeerChallenge));
        var (s, p, wire) = Run(server, peer);

        var ok = Assert.IsType<EapServerStep.Succeeded>(s);
        var peerOk = Assert.IsType<EapPeerStep.Succeeded>(p);
        Assert.Equal(ok.Msk, peerOk.Msk);
        Assert.Equal(MsChapV2Tests.ServerSendStartKey, Convert.ToHexString(ok.Msk[16..32]));
        Assert.Equal("User", server.Identity);

        // Identity req, resp, Challenge, Response, Success req, Success resp, EAP-Success.
        Assert.Equal(7, wire.Count);
        Assert.Equal(new byte[] { 1, 0x41, 0, 5, 1 }, wire[0]);
        Assert.Equal(new byte[] { 3, 0x43, 0, 4 }, wire[6]);
        Assert.True(EapPacket.TryParse(wire[3], out var response));
        Assert.True(MsChapV2Packet.TryParse(response.TypeData, out var ms));
        Assert.True(ms.TryReadResponse(out var pc, out var nt, out _));
        Assert.Equal(MsChapV2Tests.PeerChallenge, pc.ToArray());
        Assert.Equal(MsChapV2Tests.NtResponse, Convert.ToHexString(nt));
        Assert.True(EapPacket.TryParse(wire[4], out var successRequest));
        Assert.True(MsChapV2Packet.TryParse(successRequest.TypeData, out var sr));
        Assert.StartsWith(MsChapV2Tests.AuthenticatorResponse + " M=", System.Text.Encoding.ASCII.GetString(sr.Data));
    }

    [Theory]
    [InlineData("alice")]
    [InlineData(@"CORP\bob")]
    public void RightPasswordGivesTheSameMskOnBothSides(string user)
    {
        using var server = new EapServerSession(Lookup, "gw.example");
        using var peer = new EapPeerSession(user, s_users[user]);
        var (s, p, _) = Run(server, peer);
        var ok = Assert.IsType<EapServerStep.Succeeded>(s);
        var peerOk = Assert.IsType<EapPeerStep.Succeeded>(p);
        Assert.Equal(64, ok.Msk.Length);
        Assert.Equal(ok.Msk, peerOk.Msk);
        Assert.Contains(ok.Msk[..32], b => b != 0);
        Assert.Equal(user, server.Identity);
    }

    [Fact]
    public void WrongPasswordFailsBothSidesWithoutMsk()
    {
        using var server = new EapServerSession(Lookup, "gw.example");
        using var peer = new EapPeerSession("alice", "incorrect horse");
        var (s, p, wire) = Run(server, peer);
        var failed = Assert.IsType<EapServerStep.Failed>(s);
        Assert.Contains("wrong password", failed.Reason);
        Assert.DoesNotContain("incorrect horse", failed.Reason);
        Assert.DoesNotContain(s_users["alice"], failed.Reason);
        Assert.Equal(EapCode.Failure, (EapCode)failed.Failure[0]);
        Assert.IsType<EapPeerStep.Failed>(p);
        // Identity, Challenge, Response, then straight to EAP-Failure.
        Assert.Equal(5, wire.Count);
    }

    [Fact]
    public void UnknownUserFailsLikeAWrongPassword()
    {
        var asked = new List<string>();
        using var server = new EapServerSession(n => { asked.Add(n); return null; }, "gw.example");
        using var peer = new EapPeerSession("mallory", "whatever");
        var (s, p, wire) = Run(server, peer);
        var failed = Assert.IsType<EapServerStep.Failed>(s);
        Assert.Contains("unknown user", failed.Reason);
        Assert.Equal(["mallory"], asked);
        Assert.IsType<EapPeerStep.Failed>(p);
        Assert.Equal(5, wire.Count);
    }
}
