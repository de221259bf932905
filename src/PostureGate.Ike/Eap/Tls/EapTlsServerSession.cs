// The EAP-TLS authenticator of an IKEv2 responder (RFC 7296 §2.16, RFC 5216; TLS 1.3 per RFC 9190):
//
//   1. Start: Request/Identity; Response/Identity → Request/EAP-TLS Start (S flag, no data).
//   2. Each Response carries TLS records (ClientHello, later Certificate, CertificateVerify,
//      Finished), fragmented per §2.1.5: a fragment with M set is acknowledged with an empty
//      Request; our own flight is sent in fragments the peer acknowledges with empty Responses.
//   3. When the handshake completes (TLS 1.2: our ChangeCipherSpec/Finished; TLS 1.3: after the
//      client's Finished, our one-octet 0x00 commitment, RFC 9190 §2.5) the peer acknowledges with
//      an empty Response → EAP-Success, with the MSK (first 64 octets of the key material, §2.3)
//      and the client certificate, validated as the IKE certificate round validates one.
//
// As with EAP-MSCHAPv2 (EapServerSession), anything out of order — a wrong Identifier, a packet
// that is not EAP-TLS, data where an acknowledgement is due, a lying or oversized TLS Message
// Length, a TLS alert, more rounds than a handshake needs — ends in EAP-Failure: IKE carries each
// EAP message once, in order, integrity-protected, so nothing here is a benign retransmission.
// Nothing here throws on peer input; the state only moves on a valid message.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Tls;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Eap.Tls;

public sealed class EapTlsServerSession : IEapServer
{
    /// <summary>TLS data per EAP-TLS Request: strongSwan's default fragment_size, so no IKE fragmentation is needed.</summary>
    public const int DefaultFragmentSize = 1024;

    /// <summary>Ceiling of one reassembled TLS message or flight from the peer (a client chain of a few certificates).</summary>
    public const int DefaultMaxMessageLength = 64 * 1024;

    /// <summary>EAP requests one session may send: a handshake with a large chain needs a few dozen.</summary>
    public const int MaxRequests = 64;

    private enum State
    {
        NotStarted,
        IdentityRequested,
        Handshaking,
        AwaitingFinalAck,
        Finished,
    }

    private readonly EapTlsBackend _backend;
    private readonly TlsServerProtocol _protocol = new();
    private readonly EapTlsReassembly _inbound;
    private readonly int _fragmentSize;
    private readonly RandomNumberGenerator? _rng;
    private byte[] _outbound = [];
    private int _outboundSent;
    private State _state;
    private byte _identifier;
    private int _requests;
    private bool _accepted;

    /// <param name="credential">The gateway's certificate and key: the TLS server certificate (the peer checks it against IDr).</param>
    /// <param name="policy">The phase1's peer-certificate policy (trusted CAs, revocations, subject/CN).</param>
    /// <param name="validate">Checks the client's chain as the IKE certificate round does, for the peer's IDi.</param>
    public EapTlsServerSession(LocalCertificateCredential credential, PeerCertificatePolicy policy,
        Func<IReadOnlyList<CertPayload>, CertificateValidation> validate, int fragmentSize = DefaultFragmentSize,
        int maxMessageLength = DefaultMaxMessageLength, RandomNumberGenerator? rng = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(validate);
        ArgumentOutOfRangeException.ThrowIfLessThan(fragmentSize, 64);
        _backend = new EapTlsBackend(credential, policy, validate);
        _inbound = new EapTlsReassembly(maxMessageLength);
        _fragmentSize = fragmentSize;
        _rng = rng;
    }

    /// <summary>The EAP-Identity the peer gave; after success, the verified certificate's subject name.</summary>
    public string? Identity { get; private set; }

    /// <summary>The TLS version negotiated, once the handshake completed.</summary>
    public string? NegotiatedVersion { get; private set; }

    public byte[] Start()
    {
        if (_state != State.NotStarted)
            throw new InvalidOperationException("the EAP session has already started");
        Span<byte> identifier = stackalloc byte[1];
        if (_rng is null)
            RandomNumberGenerator.Fill(identifier);
        else
            _rng.GetBytes(identifier);
        _identifier = identifier[0];
        _state = State.IdentityRequested;
        _requests = 1;
        return EapPacket.Create(EapCode.Request, _identifier, EapType.Identity, default);
    }

    public EapServerStep Process(ReadOnlySpan<byte> eapResponse)
    {
        if (_state is State.NotStarted or State.Finished)
            return Fail(_identifier, _state == State.NotStarted ? "EAP response before Start" : "EAP session already finished");
        // RFC 3748 §4.1: the Response answers the outstanding Request (a replayed or reordered fragment does not).
        if (!EapResponseCheck.TryAccept(eapResponse, _identifier, "EAP-TLS", out var packet, out var failureId, out var reason))
            return Fail(failureId, reason);
        if (_state == State.IdentityRequested)
        {
            if (packet.Type != EapType.Identity)
                return Fail(packet.Identifier, $"expected EAP-Identity, got type {(byte)packet.Type}");
            return OnIdentity(packet.TypeData);
        }
        if (packet.Type != EapType.Tls)
            return Fail(packet.Identifier, $"expected EAP-TLS, got type {(byte)packet.Type}");
        if (!EapTlsPacket.TryParse(packet.TypeData, out var tls))
            return Fail(packet.Identifier, "malformed EAP-TLS packet");
        if (tls.Has(EapTlsFlags.Start))
            return Fail(_identifier, "EAP-TLS Start flag in a response");
        return _state == State.AwaitingFinalAck && _outboundSent == _outbound.Length
            ? OnFinalAck(tls)
            : OnHandshake(tls);
    }

    private EapServerStep OnIdentity(ReadOnlySpan<byte> typeData)
    {
        // The EAP-Identity is only a hint (RFC 5216 §5.2): who the peer is comes from its certificate. strongSwan
        // sends its IKE ID's encoding, a DER DN for a certificate subject, so any octets are taken; kept as a
        // name only when they read as one.
        Identity = EapName.TryDecode(typeData, out var identity) ? identity : null;
        try
        {
            _protocol.Accept(_backend);
            _accepted = true;
        }
        catch (IOException e)
        {
            return Fail(_identifier, "TLS server failed to start: " + e.Message);
        }
        _state = State.Handshaking;
        // §2.1.1: EAP-TLS Start, no data.
        return Request(EapTlsFlags.Start, null, default);
    }

    private EapServerStep OnHandshake(EapTlsPacket tls)
    {
        // §2.1.5: while our flight is being fragmented, the peer answers each fragment with an acknowledgement.
        if (_outboundSent < _outbound.Length)
        {
            if (!tls.IsAcknowledgement)
                return Fail(_identifier, "expected an EAP-TLS acknowledgement of our fragment, got data");
            return NextFragment();
        }
        if (tls.IsAcknowledgement)
            return Fail(_identifier, "EAP-TLS acknowledgement with no fragment outstanding");
        if (!_inbound.TryAdd(tls, out var message, out var problem))
            return Fail(_identifier, problem);
        if (message is null)
            return Request(EapTlsFlags.None, null, default); // acknowledge the peer's fragment
        try
        {
            _protocol.OfferInput(message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // TlsFatalAlert, and whatever BouncyCastle's parsers throw on hostile records: the peer's doing,
            // said once, no stack trace.
            return Fail(_identifier, "TLS handshake failed: " + (_backend.Refusal ?? _backend.AlertDescription ?? e.Message));
        }
        if (_backend.Msk is not null && _state == State.Handshaking)
        {
            if (_backend.PeerCertificate is null)
                return Fail(_identifier, "TLS handshake completed without a client certificate");
            NegotiatedVersion = _backend.IsTls13 ? "TLS 1.3" : "TLS 1.2";
            // RFC 9190 §2.5: in TLS 1.3 the server commits to ending the handshake with one octet of application data, 0x00.
            if (_backend.IsTls13)
                _protocol.WriteApplicationData([0], 0, 1);
            _state = State.AwaitingFinalAck;
        }
        var available = _protocol.GetAvailableOutputBytes();
        if (available == 0)
            return Fail(_identifier, "TLS handshake stalled: a response that needs no answer");
        _outbound = new byte[available];
        _protocol.ReadOutput(_outbound, 0, available);
        _outboundSent = 0;
        return NextFragment();
    }

    /// <summary>§2.1.5: our flight in fragments; the first carries L (the whole length) when there are more.</summary>
    private EapServerStep NextFragment()
    {
        var left = _outbound.Length - _outboundSent;
        var size = Math.Min(left, _fragmentSize);
        var more = size < left;
        uint? total = _outboundSent == 0 && more ? (uint)_outbound.Length : null;
        var step = Request(more ? EapTlsFlags.MoreFragments : EapTlsFlags.None, total, _outbound.AsSpan(_outboundSent, size));
        _outboundSent += size;
        return step;
    }

    /// <summary>The handshake is done and our last flight acknowledged: EAP-Success with the MSK and the certificate.</summary>
    private EapServerStep OnFinalAck(EapTlsPacket tls)
    {
        if (!tls.IsAcknowledgement)
            return Fail(_identifier, "expected the final EAP-TLS acknowledgement, got data");
        var msk = _backend.Msk!;
        var certificate = _backend.PeerCertificate!;
        Identity = certificate.GetNameInfo(X509NameType.SimpleName, false);
        _state = State.Finished;
        CloseProtocol();
        return new EapServerStep.Succeeded(EapPacket.CreateResult(EapCode.Success, _identifier), msk, certificate, _backend.PeerCertificateIssuer);
    }

    private EapServerStep Request(EapTlsFlags flags, uint? total, ReadOnlySpan<byte> data)
    {
        if (++_requests > MaxRequests)
            return Fail(_identifier, $"EAP-TLS took more than {MaxRequests} rounds");
        _identifier++;
        return new EapServerStep.Continue(EapTlsPacket.Create(EapCode.Request, _identifier, flags, total, data));
    }

    private EapServerStep.Failed Fail(byte identifier, string reason)
    {
        Close();
        return new EapServerStep.Failed(EapPacket.CreateResult(EapCode.Failure, identifier), reason);
    }

    private void Close()
    {
        if (_state == State.Finished)
            return;
        _state = State.Finished;
        if (_backend.Msk is { } msk)
            CryptographicOperations.ZeroMemory(msk);
        _backend.PeerCertificate?.Dispose();
        _backend.PeerCertificateIssuer?.Dispose();
        CloseProtocol();
    }

    private void CloseProtocol()
    {
        if (!_accepted)
            return;
        try
        {
            _protocol.Close();
        }
        catch (IOException)
        {
            // Closing a half-done handshake has nothing left to tell anyone.
        }
    }

    public void Dispose()
    {
        if (_state != State.Finished)
            Close();
    }
}
