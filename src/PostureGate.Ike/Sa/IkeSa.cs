// One IKE SA (charon's ike_sa_t): identities, keys, message ID state and its CHILD_SAs.
// Every field is touched only under Gate; the manager serialises datagrams, timers and
// API calls per SA through it, so tasks are written as plain sequential code.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Sa;

public sealed class IkeSa
{
    public IkeSa(long serial, IkePeerConfig config, bool initiator, ulong spiI, ulong spiR,
        IPEndPoint local, IPEndPoint remote, DateTimeOffset created)
    {
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
    public ulong SpiR { get; internal set; }
    public ulong LocalSpi => IsInitiator ? SpiI : SpiR;
    public IPEndPoint Local { get; internal set; }
    public IPEndPoint Remote { get; internal set; }
    public DateTimeOffset Created { get; }
    public DateTimeOffset? Established { get; internal set; }
    public IkeSaState State { get; internal set; } = IkeSaState.Connecting;

    /// <summary>"dialup_0" once authenticated; before that the phase 1 name is shown in logs.</summary>
    public string? Instance { get; internal set; }
    public string LogName => Instance ?? Config.Name;

    // IKE_SA_INIT
    public IkeProposal Proposal { get; internal set; }
    public KeyExchange? KeyExchange { get; internal set; }
    public byte[] NonceI { get; internal set; } = [];
    public byte[] NonceR { get; internal set; } = [];
    /// <summary>The complete IKE_SA_INIT request and response: RFC 7296 §2.15 signs them.</summary>
    public byte[] InitRequest { get; internal set; } = [];
    public byte[] InitResponse { get; internal set; } = [];
    public IkeKeyMaterial? Keys { get; internal set; }
    public bool NatLocal { get; internal set; }
    public bool NatRemote { get; internal set; }
    public bool PeerSupportsFragmentation { get; internal set; }
    public byte[]? Cookie { get; internal set; }
    /// <summary>The (SPIi, address) key of the IKE_SA_INIT retransmit table while half-open.</summary>
    internal (ulong SpiI, IPEndPoint Remote)? InitKey { get; set; }
    /// <summary>Counted in the manager's half-open total (until established or destroyed).</summary>
    internal bool CountedHalfOpen { get; set; }

    // IKE_AUTH
    public IkeIdentity? PeerIdentity { get; internal set; }
    /// <summary>The IDi/IDr payload body as received/sent (RFC 7296 §2.15 IDx').</summary>
    public byte[] PeerIdBody { get; internal set; } = [];
    public byte[] LocalIdBody { get; internal set; } = [];
    public IkeIdentity LocalIdentity { get; internal set; } = null!;
    public string? EapIdentity { get; internal set; }
    internal Eap.EapServerSession? EapServer { get; set; }
    internal Eap.EapPeerSession? EapPeer { get; set; }
    /// <summary>EAP reached Success (responder: sent it; initiator: accepted it).</summary>
    public bool EapCompleted { get; internal set; }
    /// <summary>Authentication failed; every further IKE_AUTH request is answered AUTHENTICATION_FAILED.</summary>
    public bool AuthFailed { get; internal set; }
    public byte[]? Msk { get; internal set; }
    public bool PeerAuthenticated { get; internal set; }
    public List<ReceivedNotify> AuthNotifies { get; } = [];
    public List<byte[]> VendorIds { get; } = [];
    /// <summary>The first IKE_AUTH request's SA/TS/CP, kept until the CHILD_SA is made after EAP.</summary>
    public IkeAuthRequestState? PendingChild { get; internal set; }
    public string? FortiClientUid { get; internal set; }
    public IPAddress? VirtualIp { get; internal set; }

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
    public IkeSa? RekeyedTo { get; internal set; }

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
    }

    public override string ToString() => $"{LogName}[{Serial}] {SpiI:x16}_i {SpiR:x16}_r";
}

/// <summary>The response to the last request we answered, resent on a retransmitted request (§2.1).</summary>
public sealed record CachedResponse(uint MessageId, byte[] RequestHash, IReadOnlyList<byte[]> Datagrams);

/// <summary>Our outstanding request (window 1) and how to retransmit it.</summary>
public sealed class PendingRequest
{
    public required uint MessageId { get; init; }
    public required IReadOnlyList<byte[]> Datagrams { get; init; }
    public required Messages.ExchangeType Exchange { get; init; }
    public required Action<IkeSa, IkeMessage?> OnResponse { get; init; }
    public int Attempt { get; internal set; }
    public ITimer? Timer { get; internal set; }
}

/// <summary>What the first IKE_AUTH request asked for, answered only after EAP completes (§2.16).</summary>
public sealed record IkeAuthRequestState(
    SaPayload? ChildSa,
    IReadOnlyList<TrafficSelector> TsI,
    IReadOnlyList<TrafficSelector> TsR,
    ConfigPayload? Config);
