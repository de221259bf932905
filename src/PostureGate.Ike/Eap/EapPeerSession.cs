// The EAP peer of PostureGate's own IKEv2 initiator (RFC 7296 §2.16) for
// EAP-MSCHAPv2 (RFC 3748, RFC 2759, draft-kamath-pppext-eap-mschapv2-02):
//
//   1. Request/Identity → Response/Identity.
//   2. Request/MSCHAPv2 Challenge → Response with a random Peer-Challenge and
//      the NT-Response; the expected authenticator response and MSK are kept.
//   3. Request/MSCHAPv2 Success → its "S=" checked in constant time (RFC 2759
//      §8.8) → Success Response (OpCode only).
//   4. EAP-Success → the MSK.
//
// EAP-Success counts only after step 3 verified the server: an earlier one
// (the class of CVE-2021-45079, where a server skipped the method and sent
// Success at once) fails the session, as does anything out of order. An
// MS-CHAPv2 Failure Request ends the session without a Failure Response,
// like strongSwan's peer: the IKE_AUTH exchange is abandoned either way.
// Other method requests before the challenge get a legacy Nak proposing
// MS-CHAPv2 (RFC 3748 §5.3.1); Notifications are answered (§5.2).
using System.Security.Cryptography;
using System.Text;

namespace PostureGate.Ike.Eap;

public sealed class EapPeerSession : IDisposable
{
    private enum State
    {
        AwaitingChallenge,
        AwaitingSuccessRequest,
        AwaitingEapSuccess,
        Finished,
    }

    private readonly byte[] _identity;
    private readonly byte[] _passwordHash = new byte[MsChapV2.PasswordHashLength];
    private readonly byte[] _authenticatorResponse = new byte[MsChapV2.AuthenticatorResponseLength];
    private readonly RandomNumberGenerator? _rng;
    private byte[]? _msk;
    private State _state;

    /// <param name="identity">Sent as EAP-Identity and as the MS-CHAPv2 Name; "DOMAIN\user" hashes "user" only.</param>
    /// <param name="password">Only its NT hash (RFC 2759 §8.3) is kept.</param>
    /// <param name="rng">For the Peer-Challenge; the system generator when null.</param>
    public EapPeerSession(string identity, string password, RandomNumberGenerator? rng = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        ArgumentNullException.ThrowIfNull(password);
        _identity = Encoding.UTF8.GetBytes(identity);
        if (!EapName.TryDecode(_identity, out _))
            throw new ArgumentException("identity must be printable UTF-8 of at most 256 octets", nameof(identity));
        MsChapV2.NtPasswordHash(password, _passwordHash);
        _rng = rng;
    }

    /// <summary>Handles one EAP request (or EAP-Success / EAP-Failure) from the server.</summary>
    public EapPeerStep Process(ReadOnlySpan<byte> eapRequest)
    {
        if (_state == State.Finished)
            return Fail("EAP session already finished");
        if (!EapPacket.TryParse(eapRequest, out var packet))
            return Fail("malformed EAP packet");
        switch (packet.Code)
        {
            case EapCode.Success:
                return OnEapSuccess();
            case EapCode.Failure:
                return Fail("server sent EAP-Failure");
            case EapCode.Response:
                return Fail("server sent an EAP Response");
        }

        // RFC 3748 §4.1: a Response carries the Identifier of its Request.
        var id = packet.Identifier;
        switch (packet.Type)
        {
            case EapType.Identity when _state == State.AwaitingChallenge:
                return Respond(EapPacket.Create(EapCode.Response, id, EapType.Identity, _identity));
            case EapType.Notification:
                // RFC 3748 §5.2: the peer MUST answer a Notification; the text is only displayable.
                return Respond(EapPacket.Create(EapCode.Response, id, EapType.Notification, default));
            case EapType.MsChapV2:
                return OnMsChapV2(id, packet.TypeData);
            case EapType.Nak:
                return Fail("server sent a Nak request");
            default:
                if (_state != State.AwaitingChallenge)
                    return Fail($"unexpected EAP type {(byte)packet.Type} after MS-CHAPv2 started");
                // RFC 3748 §5.3.1: a legacy Nak names the type we would accept instead.
                return Respond(EapPacket.Create(EapCode.Response, id, EapType.Nak, [(byte)EapType.MsChapV2]));
        }
    }

    private EapPeerStep OnMsChapV2(byte identifier, ReadOnlySpan<byte> typeData)
    {
        if (!MsChapV2Packet.TryParse(typeData, out var ms) || ms.IsShort)
            return Fail("malformed EAP-MSCHAPv2 request");
        return (ms.OpCode, _state) switch
        {
            (MsChapV2OpCode.Challenge, State.AwaitingChallenge) => OnChallenge(identifier, ms),
            (MsChapV2OpCode.Success, State.AwaitingSuccessRequest) => OnSuccessRequest(identifier, ms.Data),
            (MsChapV2OpCode.Failure, _) => Fail("server rejected the credentials: " + EapName.Sanitize(ms.Data)),
            _ => Fail($"unexpected EAP-MSCHAPv2 OpCode {(byte)ms.OpCode} in state {_state}"),
        };
    }

    private EapPeerStep OnChallenge(byte identifier, MsChapV2Packet ms)
    {
        // draft-kamath §2: Value-Size 16 and a Name of at least one octet.
        if (!ms.TryReadChallenge(out var challenge, out _))
            return Fail("malformed EAP-MSCHAPv2 Challenge");
        Span<byte> peerChallenge = stackalloc byte[MsChapV2.ChallengeLength];
        Span<byte> ntResponse = stackalloc byte[MsChapV2.NtResponseLength];
        if (_rng is null)
            RandomNumberGenerator.Fill(peerChallenge);
        else
            _rng.GetBytes(peerChallenge);
        var userName = MsChapV2.UserNameForHash(_identity);
        MsChapV2.GenerateNTResponse(challenge, peerChallenge, userName, _passwordHash, ntResponse);
        MsChapV2.GenerateAuthenticatorResponse(_passwordHash, ntResponse, peerChallenge, challenge, userName, _authenticatorResponse);
        _msk = MsChapV2.CreateMsk(_passwordHash, ntResponse);
        _state = State.AwaitingSuccessRequest;
        return Respond(MsChapV2Packet.CreateResponse(identifier, ms.MsChapV2Id, peerChallenge, ntResponse, _identity));
    }

    private EapPeerStep OnSuccessRequest(byte identifier, ReadOnlySpan<byte> message)
    {
        // RFC 2759 §5 / draft-kamath §2: "S=<auth_string> M=<message>", space separated.
        var text = Encoding.ASCII.GetString(message).AsSpan();
        var verified = false;
        foreach (var range in text.Split(' '))
        {
            var token = text[range];
            if (token.StartsWith("S="))
            {
                verified = MsChapV2.CheckAuthenticatorResponse(_authenticatorResponse, token);
                break;
            }
        }
        if (!verified)
            return Fail("server's MS-CHAPv2 authenticator response is missing or wrong");
        _state = State.AwaitingEapSuccess;
        return Respond(MsChapV2Packet.CreateShortResponse(identifier, MsChapV2OpCode.Success));
    }

    private EapPeerStep OnEapSuccess()
    {
        if (_state != State.AwaitingEapSuccess || _msk is null)
            return Fail("EAP-Success before the server proved knowledge of the password (MS-CHAPv2 not finished)");
        var msk = _msk;
        _msk = null;
        _state = State.Finished;
        return new EapPeerStep.Succeeded(msk);
    }

    private static EapPeerStep.Respond Respond(byte[] response) => new(response);

    private EapPeerStep.Failed Fail(string reason)
    {
        _state = State.Finished;
        ZeroMsk();
        return new EapPeerStep.Failed(reason);
    }

    private void ZeroMsk()
    {
        if (_msk is not null)
        {
            CryptographicOperations.ZeroMemory(_msk);
            _msk = null;
        }
    }

    public void Dispose()
    {
        _state = State.Finished;
        CryptographicOperations.ZeroMemory(_passwordHash);
        CryptographicOperations.ZeroMemory(_authenticatorResponse);
        ZeroMsk();
    }
}
