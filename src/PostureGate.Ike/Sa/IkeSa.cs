// One IKE SA (charon's ike_sa_t, RFC 7296 §2): identities, keys, message ID state and its CHILD_SAs.
// Every field is touched only under Gate; the manager serialises datagrams, timers and
// API calls per SA through it, so tasks are written as plain sequential code. What the exchanges
// negotiate (keys, nonces, identities, MSK, state) changes only through the methods below, each
// named for the transition it makes.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Ike.Sa;

public sealed class IkeSa
{
    public IkeSa(long serial, IkePeerConfig config, bool initiator, ulong spiI, ulong spiR,
        IPEndPoint local, IPEndPoint remote, DateTimeOffset created, IkeProposal proposal = default)
    {
        Proposal = proposal;
        Serial = serial;
        Config = config;
        IsInitiator = initiator;
        SpiI = spiI;
        SpiR = spiR;
        Local = local;
        Remote = remote;
        Created = created;
    }

    public Lock Gate { get; } = new();
    public long Serial { get; }
    public IkePeerConfig Config { get; }
    public bool IsInitiator { get; }
    public ulong SpiI { get; internal set; }
    public ulong SpiR { get; private set; }
    public ulong LocalSpi => IsInitiator ? SpiI : SpiR;
    public IPEndPoint Local { get; internal set; }
    public IPEndPoint Remote { get; internal set; }
    public DateTimeOffset Created { get; }
    public DateTimeOffset? Established { get; private set; }
    public IkeSaState State { get; private set; } = IkeSaState.Connecting;

    /// <summary>"dialup_0" once authenticated; before that the phase 1 name is shown in logs.</summary>
    public string? Instance { get; private set; }
    public string LogName => Instance ?? Config.Name;

    // IKE_SA_INIT
    public IkeProposal Proposal { get; private set; }
    public KeyExchange? KeyExchange { get; private set; }
    public byte[] NonceI { get; private set; } = [];
    public byte[] NonceR { get; private set; } = [];
    /// <summary>The complete IKE_SA_INIT request and response: RFC 7296 §2.15 signs them.</summary>
    public byte[] InitRequest { get; private set; } = [];
    public byte[] InitResponse { get; private set; } = [];
    public IkeKeyMaterial? Keys { get; private set; }
    public bool NatLocal { get; private set; }
    public bool NatRemote { get; private set; }
    public bool PeerSupportsFragmentation { get; private set; }
    /// <summary>RFC 7427 §4: the hash algorithms the peer announced in IKE_SA_INIT; empty when it sent no SIGNATURE_HASH_ALGORITHMS.</summary>
    public IReadOnlyList<SignatureHashAlgorithm> PeerSignatureHashes { get; internal set; } = [];
    /// <summary>RFC 4739 §3: the responder announced MULTIPLE_AUTH_SUPPORTED in its IKE_SA_INIT response (initiator's view).</summary>
    public bool MultipleAuth { get; internal set; }
    public byte[]? Cookie { get; private set; }
    /// <summary>The (SPIi, address) key of the IKE_SA_INIT retransmit table while half-open.</summary>
    internal (ulong SpiI, IPEndPoint Remote)? InitKey { get; set; }
    /// <summary>Counted in the manager's half-open total (until established or destroyed).</summary>
    internal bool CountedHalfOpen { get; set; }

    // IKE_AUTH
    public IkeIdentity? PeerIdentity { get; private set; }
    /// <summary>The IDi/IDr payload body as received/sent (RFC 7296 §2.15 IDx').</summary>
    public byte[] PeerIdBody { get; private set; } = [];
    public byte[] LocalIdBody { get; private set; } = [];
    public IkeIdentity LocalIdentity { get; private set; } = null!;
    public string? EapIdentity { get; private set; }
    /// <summary>The end-entity certificate whose key the peer proved (RFC 7296 §2.15, validated), null when it did not.
    /// The one place every round that proves a certificate sets (a certificate AUTH round; EAP-TLS), through
    /// <see cref="PeerCertificateVerified"/>. Owned by the SA: disposed when the SA's secrets are cleared.</summary>
    public X509Certificate2? PeerCertificate { get; private set; }
    /// <summary>The certificate that issued <see cref="PeerCertificate"/> (RFC 5280 §6.1: the next one up its chain), for revocation checks.</summary>
    public X509Certificate2? PeerCertificateIssuer { get; private set; }
    /// <summary>The local certificate this SA authenticates with (RFC 7296 §3.7: the one the peer's CERTREQ asked for); null: the first configured.</summary>
    public Auth.LocalCertificateCredential? LocalCertificate { get; internal set; }
    internal Eap.IEapServer? EapServer { get; set; }
    internal Eap.EapPeerSession? EapPeer { get; set; }
    /// <summary>EAP reached Success (responder: sent it; initiator: accepted it).</summary>
    public bool EapCompleted { get; private set; }
    /// <summary>Authentication failed; every further IKE_AUTH request is answered AUTHENTICATION_FAILED.</summary>
    public bool AuthFailed { get; private set; }
    public byte[]? Msk { get; private set; }
    public bool PeerAuthenticated { get; private set; }
    public List<ReceivedNotify> AuthNotifies { get; } = [];
    public List<byte[]> VendorIds { get; } = [];
    /// <summary>The first IKE_AUTH request's SA/TS/CP, kept until the CHILD_SA is made after EAP.</summary>
    public IkeAuthRequestState? PendingChild { get; private set; }
    public string? FortiClientUid { get; private set; }
    public IPAddress? VirtualIp { get; private set; }

    // Message IDs (RFC 7296 §2.1/§2.3, window 1)
    public uint NextRequestId { get; internal set; }
    public uint ExpectedPeerRequestId { get; internal set; }
    public CachedResponse? LastResponse { get; internal set; }
    /// <summary>Our outstanding request and the exchanges queued behind it.</summary>
    internal IkeTaskManager Tasks { get; } = new();
    /// <summary>RFC 7383 reassembly, one per direction of message IDs (peer's requests, peer's responses).</summary>
    public Crypto.IkeFragmentReassembler RequestFragments { get; } = new();
    public Crypto.IkeFragmentReassembler ResponseFragments { get; } = new();
    /// <summary>Hash of fragment 1 of the request being reassembled: a retransmitted fragment 1 gets the cached answer.</summary>
    public byte[]? FirstFragmentHash { get; internal set; }

    public List<ChildSa> Children { get; } = [];
    public int ChildrenCreatedTotal { get; internal set; }
    /// <summary>This gateway's IKE SAs so far: 1, plus one per IKE SA rekey (`IKE SA: created 1/N`).</summary>
    public int IkeSasCreated { get; internal set; } = 1;
    /// <summary>Setup times of this gateway's IKE SAs, ms (`time min/avg/max ms`).</summary>
    public (long Min, long Max, long Sum, int Count) SetupTimes { get; internal set; }
    /// <summary>The peer's address / port changed after the SA was created (NAT rebinding; `rgwy-chg`, `rport-chg`).</summary>
    public bool RemoteAddressChanged { get; internal set; }
    public bool RemotePortChanged { get; internal set; }

    // Timers
    public ITimer? HalfOpenTimer { get; internal set; }
    public ITimer? RekeyTimer { get; internal set; }
    public ITimer? DpdTimer { get; internal set; }
    public DateTimeOffset LastInbound { get; internal set; }
    public DateTimeOffset LastOutbound { get; internal set; }
    /// <summary>Last ESP packet sent, as the data plane reports it (DPD on-demand).</summary>
    public DateTimeOffset LastDataOutbound { get; internal set; }

    /// <summary>Set while an async post-authentication decision is pending.</summary>
    public bool AwaitingHook { get; internal set; }

    /// <summary>The pending decision's token source: its deadline, and cancelled when the SA goes (the decision is abandoned).</summary>
    internal CancellationTokenSource? HookCancellation { get; set; }

    /// <summary>The new IKE SA while an IKE SA rekey (§2.18) is being negotiated or completed.</summary>
    public IkeSa? RekeyedTo { get; private set; }

    // ---- transitions (what the tasks may change) ----

    /// <summary>IKE_SA_INIT request prepared (initiator): our key pair and nonce, kept for a COOKIE / INVALID_KE retry.</summary>
    internal void PrepareInit(KeyExchange keyExchange, byte[] nonceI)
    {
        if (!ReferenceEquals(KeyExchange, keyExchange))
            KeyExchange?.Dispose();
        KeyExchange = keyExchange;
        NonceI = nonceI;
    }

    /// <summary>RFC 7296 §2.6: the responder wants its cookie echoed.</summary>
    internal void CookieRequested(byte[] cookie) => Cookie = cookie;

    /// <summary>RFC 5685 §3: redirected in IKE_SA_INIT; the next request goes to <paramref name="gateway"/> with a fresh Ni and no cookie.</summary>
    internal void RedirectedTo(IPEndPoint gateway)
    {
        Remote = gateway;
        Cookie = null;
        NonceI = [];
    }

    /// <summary>RFC 7296 §1.2 INVALID_KE_PAYLOAD: retry with the group the responder named.</summary>
    internal void KeyExchangeGroupRequested(KeyExchangeMethod group) => Proposal = Proposal with { Group = group };

    /// <summary>IKE_SA_INIT done (§2.14): proposal, nonces and SK_* keys; the initiator learns SPIr here.</summary>
    internal void InitNegotiated(IkeProposal proposal, ulong spiR, byte[] nonceI, byte[] nonceR, IkeKeyMaterial keys, bool peerFragmentation)
    {
        Proposal = proposal;
        SpiR = spiR;
        NonceI = nonceI;
        NonceR = nonceR;
        Keys = keys;
        PeerSupportsFragmentation = peerFragmentation;
        KeyExchange?.Dispose();
        KeyExchange = null;
    }

    /// <summary>The IKE_SA_INIT messages as sent and received: §2.15 signs them.</summary>
    internal void RecordInitRequest(byte[] request) => InitRequest = request;

    internal void RecordInitResponse(byte[] response) => InitResponse = response;

    /// <summary>§2.23 NAT detection's result.</summary>
    internal void NatDetected(bool peerBehindNat, bool weBehindNat)
    {
        NatRemote = peerBehindNat;
        NatLocal = weBehindNat;
    }

    /// <summary>The first IKE_AUTH message went out or came in.</summary>
    internal void BeginAuthentication() => State = IkeSaState.Authenticating;

    /// <summary>The identity the peer claims (IDi / IDr) and its payload body (§2.15 IDx'), not yet proven.</summary>
    internal void PeerIdentified(IkeIdentity identity, byte[] idBody)
    {
        PeerIdentity = identity;
        PeerIdBody = idBody;
    }

    /// <summary>The identity we send and its payload body (§2.15 IDx').</summary>
    internal void LocalIdentified(IkeIdentity identity, byte[] idBody)
    {
        LocalIdentity = identity;
        LocalIdBody = idBody;
    }

    /// <summary>What the first IKE_AUTH request asked for (SA, TS, CP), answered when authentication completes (§2.16).</summary>
    internal void KeepChildRequest(IkeAuthRequestState request) => PendingChild = request;

    internal IkeAuthRequestState TakeChildRequest()
    {
        var request = PendingChild!;
        PendingChild = null;
        return request;
    }

    /// <summary>EAP reached Success (§2.16): the MSK keys the final AUTH payloads.</summary>
    internal void EapSucceeded(byte[] msk, string? identity)
    {
        Msk = msk;
        EapCompleted = true;
        EapIdentity = identity;
    }

    /// <summary>
    /// RFC 7296 §2.15: the peer's AUTH verified with <paramref name="certificate"/>'s key, which chains through
    /// <paramref name="issuer"/>. The SA takes both (and disposes any it held before).
    /// </summary>
    internal void PeerCertificateVerified(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        if (!ReferenceEquals(PeerCertificate, certificate))
            PeerCertificate?.Dispose();
        if (!ReferenceEquals(PeerCertificateIssuer, issuer))
            PeerCertificateIssuer?.Dispose();
        PeerCertificate = certificate;
        PeerCertificateIssuer = issuer;
    }

    /// <summary>The EAP user the peer named, also when its EAP failed (for the failure report).</summary>
    internal void EapUserNamed(string? identity) => EapIdentity = identity;

    /// <summary>Authentication failed; every further IKE_AUTH request is refused.</summary>
    internal void AuthenticationFailed() => AuthFailed = true;

    /// <summary>The peer's AUTH verified (§2.15).</summary>
    internal void PeerProven() => PeerAuthenticated = true;

    /// <summary>The dial-up instance name ("dialup_0"); the manager's name index follows.</summary>
    internal void Named(string instance) => Instance = instance;

    /// <summary>§3.15 the inner address: leased by the gateway, or given to the client.</summary>
    internal void VirtualIpAssigned(IPAddress address) => VirtualIp = address;

    internal void FortiClientUidReceived(string uid) => FortiClientUid = uid;

    /// <summary>Up (first time or after a failed rekey); <see cref="Established"/> keeps the first time.</summary>
    internal void MarkEstablished(DateTimeOffset now)
    {
        State = IkeSaState.Established;
        Established ??= now;
    }

    /// <summary>§2.18 rekey under way (ours, or the peer's answered).</summary>
    internal void BeginRekey() => State = IkeSaState.Rekeying;

    /// <summary>Our rekey was refused (TEMPORARY_FAILURE, collision): the SA stays as it was.</summary>
    internal void RekeyAbandoned()
    {
        if (State == IkeSaState.Rekeying)
            State = IkeSaState.Established;
    }

    /// <summary>§2.18: the new SA that took over this one's children and name.</summary>
    internal void RekeyedInto(IkeSa fresh) => RekeyedTo = fresh;

    /// <summary>Our Delete is on the way (§1.4.1).</summary>
    internal void BeginDelete() => State = IkeSaState.Deleting;

    internal void MarkDestroyed() => State = IkeSaState.Destroyed;

    /// <summary>
    /// §2.18: the IKE SA that replaces <paramref name="old"/>, with fresh keys and everything the old one had
    /// proven or been given (identities, lease, name, counters).
    /// </summary>
    internal static IkeSa Rekeyed(IkeSa old, long serial, bool initiator, ulong spiI, ulong spiR, IkeProposal proposal,
        byte[] ni, byte[] nr, IkeKeyMaterial keys, DateTimeOffset now) =>
        new(serial, old.Config, initiator, spiI, spiR, old.Local, old.Remote, now)
        {
            Proposal = proposal,
            NonceI = ni,
            NonceR = nr,
            Keys = keys,
            Instance = old.Instance,
            NatLocal = old.NatLocal,
            NatRemote = old.NatRemote,
            PeerSupportsFragmentation = old.PeerSupportsFragmentation,
            PeerIdentity = old.PeerIdentity,
            LocalIdentity = old.LocalIdentity,
            EapIdentity = old.EapIdentity,
            PeerAuthenticated = true,
            FortiClientUid = old.FortiClientUid,
            // Own copies: the old SA disposes its certificates when it goes; a revocation must still find the new one.
            PeerCertificate = old.PeerCertificate is { } cert ? X509CertificateLoader.LoadCertificate(cert.RawDataMemory.Span) : null,
            PeerCertificateIssuer = old.PeerCertificateIssuer is { } issuer ? X509CertificateLoader.LoadCertificate(issuer.RawDataMemory.Span) : null,
            VirtualIp = old.VirtualIp,
            LastInbound = now,
            ChildrenCreatedTotal = old.ChildrenCreatedTotal,
            IkeSasCreated = old.IkeSasCreated + 1,
            SetupTimes = old.SetupTimes,
            RemoteAddressChanged = old.RemoteAddressChanged,
            RemotePortChanged = old.RemotePortChanged,
        };

    internal void StopTimers()
    {
        HalfOpenTimer?.Dispose();
        RekeyTimer?.Dispose();
        DpdTimer?.Dispose();
        HalfOpenTimer = RekeyTimer = DpdTimer = null;
        Tasks.Active?.Timer?.Dispose();
        foreach (var c in Children)
            c.StopTimers();
    }

    internal void ClearSecrets()
    {
        RequestFragments.Dispose();
        ResponseFragments.Dispose();
        Keys?.Dispose();
        Keys = null;
        KeyExchange?.Dispose();
        KeyExchange = null;
        EapServer?.Dispose();
        EapPeer?.Dispose();
        EapServer = null;
        EapPeer = null;
        if (Msk is not null)
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(Msk);
        Msk = null;
        PeerCertificate?.Dispose();
        PeerCertificateIssuer?.Dispose();
        PeerCertificate = PeerCertificateIssuer = null;
    }

    public override string ToString() => $"{LogName}[{Serial}] {SpiI:x16}_i {SpiR:x16}_r";
}

/// <summary>The response to the last request we answered, resent on a retransmitted request (§2.1).</summary>
public sealed record CachedResponse(uint MessageId, byte[] RequestHash, IReadOnlyList<byte[]> Datagrams);

/// <summary>Our outstanding request (window 1), the task that sent it, and how to retransmit it.</summary>
internal sealed class PendingRequest
{
    public required uint MessageId { get; init; }
    public required IReadOnlyList<byte[]> Datagrams { get; init; }
    public required Messages.ExchangeType Exchange { get; init; }
    public required Tasks.IIkeTask Task { get; init; }
    public int Attempt { get; internal set; }
    public ITimer? Timer { get; internal set; }
}

/// <summary>What the first IKE_AUTH request asked for, answered only after EAP completes (§2.16).</summary>
public sealed record IkeAuthRequestState(
    SaPayload? ChildSa,
    IReadOnlyList<TrafficSelector> TsI,
    IReadOnlyList<TrafficSelector> TsR,
    ConfigPayload? Config);
