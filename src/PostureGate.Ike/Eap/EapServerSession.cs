// The EAP authenticator of an IKEv2 responder (RFC 7296 §2.16) running
// EAP-Identity then EAP-MSCHAPv2 (RFC 3748, RFC 2759, draft-kamath-pppext-
// eap-mschapv2-02):
//
//   1. Start: Request/Identity.
//   2. Response/Identity → Request/MSCHAPv2 Challenge (16 random octets, our name).
//   3. Response/MSCHAPv2 Response → NT-Response checked against the user's
//      password → Request/MSCHAPv2 Success "S=<authenticator response> M=…".
//   4. Response/MSCHAPv2 Success (OpCode only) → EAP-Success + MSK.
//
// Failure policy, chosen for strongSwan's client (eap_mschapv2.c 5.9.8): an
// unknown user or a wrong password ends at once in EAP-Failure, with no
// MS-CHAPv2 Failure Request first. strongSwan's peer treats a Failure Request
// as final and never sends the Failure Response the draft expects, and
// strongSwan's own server ends the same way once its retries are used up;
// an EAP-Failure every client handles. No retries are offered.
//
// Anything else out of order — a malformed packet, a Request/Success/Failure
// code, a wrong Identifier (a replay of an earlier response included), a
// wrong MS-CHAPv2-ID, a Nak, an unexpected type or OpCode — also ends in
// EAP-Failure rather than being silently discarded as RFC 3748 §4.1 allows:
// IKE carries each EAP message once, in order, inside an integrity-protected
// IKE_AUTH exchange, so a mismatch is never a benign retransmission, and the
// IKE layer must answer every request anyway. strongSwan's server does the same.
// Nothing here throws on peer input; the state only moves on a valid message.
using System.Security.Cryptography;
using System.Text;

namespace PostureGate.Ike.Eap;

public sealed class EapServerSession : IEapServer
{
    private enum State
    {
        NotStarted,
        IdentityRequested,
        ChallengeSent,
        SuccessSent,
        Finished,
    }

    private const string SuccessMessage = "M=Welcome to PostureGate";

    private readonly Func<string, string?> _passwordLookup;
    private readonly Func<string, string?>? _refusal;
    private readonly byte[] _serverName;
    private readonly RandomNumberGenerator? _rng;
    private readonly byte[] _challenge = new byte[MsChapV2.ChallengeLength];
    private State _state;
    private byte _identifier;
    private byte _msChapV2Id;
    private byte[]? _msk;

    /// <param name="passwordLookup">The user's password, or null when the user is unknown or not allowed.</param>
    /// <param name="serverName">The Name of the MS-CHAPv2 Challenge (RFC 2759 §4).</param>
    /// <param name="rng">For the Identifier and the challenge; the system generator when null.</param>
    /// <param name="refusal">Why a name may not have its password checked now (password-guessing backoff), or null.</param>
    public EapServerSession(Func<string, string?> passwordLookup, string serverName, RandomNumberGenerator? rng = null,
        Func<string, string?>? refusal = null)
    {
        ArgumentNullException.ThrowIfNull(passwordLookup);
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        _passwordLookup = passwordLookup;
        _refusal = refusal;
        _serverName = Encoding.UTF8.GetBytes(serverName);
        _rng = rng;
    }

    /// <summary>
    /// The EAP-Identity the peer gave, and once MS-CHAPv2 has verified a user,
    /// the name that was verified (the MS-CHAPv2 Name field, RFC 2759 §4).
    /// </summary>
    public string? Identity { get; private set; }

    /// <summary>The MS-CHAPv2 Name whose password check failed (wrong password or unknown user); null otherwise.</summary>
    public string? FailedCheckName { get; private set; }

    /// <summary>The first EAP request: Request/Identity (RFC 3748 §5.1), with a random Identifier.</summary>
    public byte[] Start()
    {
        if (_state != State.NotStarted)
            throw new InvalidOperationException("the EAP session has already started");
        Span<byte> identifier = stackalloc byte[1];
        Fill(identifier);
        _identifier = identifier[0];
        _state = State.IdentityRequested;
        return EapPacket.Create(EapCode.Request, _identifier, EapType.Identity, default);
    }

    /// <summary>Handles one EAP response from the peer.</summary>
    public EapServerStep Process(ReadOnlySpan<byte> eapResponse)
    {
        if (_state is State.NotStarted or State.Finished)
            return Fail(_identifier, _state == State.NotStarted ? "EAP response before Start" : "EAP session already finished");
        if (!EapResponseCheck.TryAccept(eapResponse, _identifier, "EAP-MSCHAPv2", out var packet, out var failureId, out var reason))
            return Fail(failureId, reason);

        return _state switch
        {
            State.IdentityRequested when packet.Type == EapType.Identity => OnIdentity(packet.TypeData),
            State.ChallengeSent when packet.Type == EapType.MsChapV2 => OnMsChapV2Response(packet.TypeData),
            State.SuccessSent when packet.Type == EapType.MsChapV2 => OnMsChapV2SuccessAck(packet.TypeData),
            _ => Fail(packet.Identifier, $"unexpected EAP type {(byte)packet.Type} in state {_state}"),
        };
    }

    private EapServerStep OnIdentity(ReadOnlySpan<byte> typeData)
    {
        // RFC 3748 §5.1 lets the identity be empty; with nothing to look up, fail.
        if (!EapName.TryDecode(typeData, out var identity))
            return Fail(_identifier, "EAP-Identity empty, too long or not printable UTF-8");
        Identity = identity;
        Fill(_challenge);
        _identifier++;
        // strongSwan and Windows use the EAP Identifier as MS-CHAPv2-ID; so do we.
        _msChapV2Id = _identifier;
        _state = State.ChallengeSent;
        return new EapServerStep.Continue(MsChapV2Packet.CreateChallenge(_identifier, _msChapV2Id, _challenge, _serverName));
    }

    private EapServerStep OnMsChapV2Response(ReadOnlySpan<byte> typeData)
    {
        if (!MsChapV2Packet.TryParse(typeData, out var ms))
            return Fail(_identifier, "malformed EAP-MSCHAPv2 packet");
        // draft-kamath §2: the peer may abandon the exchange with a Failure in any state.
        if (ms.OpCode == MsChapV2OpCode.Failure)
            return Fail(_identifier, "peer aborted EAP-MSCHAPv2");
        if (!ms.TryReadResponse(out var peerChallenge, out var ntResponse, out var nameOctets))
            return Fail(_identifier, "expected an EAP-MSCHAPv2 Response");
        // draft-kamath §2: the Response echoes the Challenge's MS-CHAPv2-ID.
        if (ms.MsChapV2Id != _msChapV2Id)
            return Fail(_identifier, "EAP-MSCHAPv2 Response has the wrong MS-CHAPv2-ID");
        if (!EapName.TryDecode(nameOctets, out var name))
            return Fail(_identifier, "EAP-MSCHAPv2 Name empty, too long or not printable UTF-8");

        // Refused before the check: a backoff that still answered right or wrong would not slow guessing.
        if (_refusal?.Invoke(name) is { } refused)
            return Fail(_identifier, refused);

        var password = _passwordLookup(name);
        Span<byte> passwordHash = stackalloc byte[MsChapV2.PasswordHashLength];
        Span<byte> challenge = stackalloc byte[8];
        Span<byte> expected = stackalloc byte[MsChapV2.NtResponseLength];
        Span<byte> authenticatorResponse = stackalloc byte[MsChapV2.AuthenticatorResponseLength];
        try
        {
            // An unknown user costs the same work as a wrong password: the same cached keys' path.
            var keys = password is null ? MsChapV2PasswordKeys.ForUnknownUser : MsChapV2PasswordKeys.For(password);
            keys.PasswordHash.CopyTo(passwordHash);
            var userName = MsChapV2.UserNameForHash(nameOctets);
            // RFC 2759 §8.1 GenerateNTResponse: ChallengeHash, then ChallengeResponse under the password's keys.
            MsChapV2.ChallengeHash(peerChallenge, _challenge, userName, challenge);
            keys.ChallengeResponse(challenge, expected);
            var match = CryptographicOperations.FixedTimeEquals(expected, ntResponse);
            if (password is null || !match)
            {
                FailedCheckName = name;
                return Fail(_identifier, $"EAP-MSCHAPv2 failed for '{name}': {(password is null ? "unknown user" : "wrong password")}");
            }

            MsChapV2.GenerateAuthenticatorResponse(passwordHash, ntResponse, peerChallenge, _challenge, userName, authenticatorResponse);
            _msk = MsChapV2.CreateMsk(passwordHash, ntResponse);
            Identity = name;
            _identifier++;
            _state = State.SuccessSent;
            var message = MsChapV2.FormatAuthenticatorResponse(authenticatorResponse) + " " + SuccessMessage;
            return new EapServerStep.Continue(
                MsChapV2Packet.CreateMessageRequest(_identifier, MsChapV2OpCode.Success, _msChapV2Id, message));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordHash);
            CryptographicOperations.ZeroMemory(challenge);
            CryptographicOperations.ZeroMemory(expected);
            CryptographicOperations.ZeroMemory(authenticatorResponse);
        }
    }

    private EapServerStep OnMsChapV2SuccessAck(ReadOnlySpan<byte> typeData)
    {
        if (!MsChapV2Packet.TryParse(typeData, out var ms))
            return Fail(_identifier, "malformed EAP-MSCHAPv2 packet");
        if (ms.OpCode == MsChapV2OpCode.Failure)
            return Fail(_identifier, "peer rejected our authenticator response");
        if (ms.OpCode != MsChapV2OpCode.Success)
            return Fail(_identifier, $"expected an EAP-MSCHAPv2 Success Response, got OpCode {(byte)ms.OpCode}");
        var msk = _msk!;
        _msk = null;
        _state = State.Finished;
        return new EapServerStep.Succeeded(EapPacket.CreateResult(EapCode.Success, _identifier), msk);
    }

    private EapServerStep.Failed Fail(byte identifier, string reason)
    {
        _state = State.Finished;
        if (_msk is not null)
        {
            CryptographicOperations.ZeroMemory(_msk);
            _msk = null;
        }
        return new EapServerStep.Failed(EapPacket.CreateResult(EapCode.Failure, identifier), reason);
    }

    private void Fill(Span<byte> buffer)
    {
        if (_rng is null)
            RandomNumberGenerator.Fill(buffer);
        else
            _rng.GetBytes(buffer);
    }

    public void Dispose()
    {
        _state = State.Finished;
        CryptographicOperations.ZeroMemory(_challenge);
        if (_msk is not null)
        {
            CryptographicOperations.ZeroMemory(_msk);
            _msk = null;
        }
    }
}
