// RFC 7296 §1.2 / §2.15 / §2.16 IKE_AUTH, responder side (charon's ike_auth task): reads the
// peer's identity, runs the authentication round (IIkeAuthenticator: PSK or EAP today), then the
// post-authentication hook decides (async) before the CP reply and the first CHILD_SA:
//   req 1  IDi [N(INITIAL_CONTACT)] [IDr] [CP] SA TSi TSr [N…]      (no AUTH: "I want EAP")
//   rsp 1  IDr AUTH(PSK) EAP(Request/Identity)
//   req/rsp EAP rounds … EAP(Success)
//   req n  AUTH(MSK)
//   rsp n  AUTH(MSK) CP(REPLY) SA TSi TSr
// PSK-only: req 1 carries AUTH(PSK) and rsp 1 is the last one. One task answers every round.
using PostureGate.Ike.Auth;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tasks.Authentication;

namespace PostureGate.Ike.Tasks;

internal sealed class IkeAuth(IkeTaskContext m) : ResponderTask
{
    private IIkeAuthenticator? _authenticator;
    private bool _idrSent;

    public override ExchangeType Exchange => ExchangeType.IkeAuth;
    public override string Name => "ike_auth";

    /// <summary>Every IKE_AUTH request of the SA comes here: the rounds, and a late one refused.</summary>
    public override bool NeedsMore => true;

    /// <summary>Notifies FortiOS names in its debug output when it processes them.</summary>
    private static bool IsLogged(NotifyType t) => t is NotifyType.InitialContact or NotifyType.SetWindowSize
        || (ushort)t >= 40960 || t == NotifyType.EapOnlyAuthentication;

    /// <summary>The peer's authentication method as the phase1 configures it.</summary>
    private IIkeAuthenticator AuthenticatorFor(IkePeerConfig config) => config switch
    {
        { PeerCertificates: { } peer, EapEnabled: true, EapTls: true } => new EapAuthenticator(m, ProcessNotifies, tlsPeer: peer),
        { PeerCertificates: { } peer, EapEnabled: true } =>
            new CertificateThenEapAuthenticator(m, peer, new EapAuthenticator(m, ProcessNotifies, secondRound: true)),
        { PeerCertificates: { } peer } => new CertificateAuthenticator(m, peer),
        { EapEnabled: true } => new EapAuthenticator(m, ProcessNotifies),
        _ => new PskAuthenticator(m),
    };

    protected override ResponderAnswer? Answer(IkeSa sa, IkeMessage request)
    {
        if (sa.AuthFailed || sa.State is IkeSaState.Established or IkeSaState.Rekeying or IkeSaState.Deleting)
        {
            // §1.2: IKE_AUTH after the SA is up, or after a failure, is refused.
            return Fail(sa, "IKE_AUTH in the wrong state");
        }
        if (sa.State == IkeSaState.Connecting)
            return First(sa, request);
        if (_authenticator is null)
            return Fail(sa, "unexpected IKE_AUTH round");
        return Step(sa, _authenticator.Process(sa, request, first: false));
    }

    private ResponderAnswer? First(IkeSa sa, IkeMessage request)
    {
        // Everything the peer must send is checked before anything about the SA changes.
        if (!TryReadFirstRequest(request, out var idi, out var child, out var problem))
            return Fail(sa, problem, NotifyType.InvalidSyntax);
        sa.BeginAuthentication();
        m.Debug.Sa(sa.LogName, sa.Serial, "responder received AUTH msg");
        // Before the peer's ID, as FortiOS logs them (the seed's Example 1: "received FCT-UID" …
        // then "peer identifier"); a failure below discards them with the SA.
        ProcessNotifies(sa, request);
        foreach (var v in request.FindAll<VendorIdPayload>())
            sa.VendorIds.Add(v.Data);
        sa.PeerIdentified(new IkeIdentity(idi.IdType, idi.Data), idi.EncodeBody());
        m.Debug.Sa(sa.LogName, sa.Serial, $"peer identifier {idi}");
        if (sa.Config.PeerId is { } wanted && !wanted.Matches(sa.PeerIdentity!))
            return Fail(sa, $"peer ID {sa.PeerIdentity} does not match {wanted}");
        if (sa.Config.EapEnabled)
            m.Debug.Sa(sa.LogName, sa.Serial, "eap-peer=yes");
        m.Debug.Sa(sa.LogName, sa.Serial, "re-validate gw ID");
        if (!m.Options.GatewayMatch.Validate(sa.Config.Name, sa.Remote, out var reason))
            return Fail(sa, $"gw validation failed: {reason}");
        m.Debug.Sa(sa.LogName, sa.Serial, "gw validation OK");

        // §3.7: of several local certificates, the one whose CA the peer's CERTREQ names.
        if (CertificateAuth.Signs(sa))
            sa.LocalCertificate = LocalCertificateSelection.Choose(sa.Config.LocalCertificates, request.FindAll<CertReqPayload>());
        // The IDr the peer asked for (§3.5) is its business: we answer with the configured local ID,
        // else the name in the certificate we sign with (RFC 4945 §3.1).
        var local = sa.Config.LocalId ?? sa.LocalCertificate?.DefaultIdentity ?? IkeIdentity.FromAddress(sa.Local.Address);
        sa.LocalIdentified(local, new IdPayload(PayloadType.IdResponder, local.Type, local.Data).EncodeBody());
        sa.KeepChildRequest(child);
        _authenticator = AuthenticatorFor(sa.Config);
        return Step(sa, _authenticator.Process(sa, request, first: true));
    }

    /// <summary>What the round's outcome means for the response.</summary>
    private ResponderAnswer? Step(IkeSa sa, AuthStep step)
    {
        switch (step)
        {
            case AuthStep.Continue c:
                return new ResponderAnswer(WithIdr(sa, c.Response));
            case AuthStep.Failed f:
                return Fail(sa, f.Reason, f.Notify);
            case AuthStep.Refused r:
                sa.AuthenticationFailed();
                m.ReportAuthFailure(sa, r.Reason);
                return new ResponderAnswer(r.Response);
            case AuthStep.Verified v:
                return Authenticated(sa, v.NotifiesOf);
            default:
                throw new InvalidOperationException("unknown authentication step");
        }
    }

    /// <summary>§1.2: the first IKE_AUTH response names us (IDr) before anything else.</summary>
    private List<IkePayload> WithIdr(IkeSa sa, IReadOnlyList<IkePayload> payloads)
    {
        var result = new List<IkePayload>(payloads.Count + 1);
        if (!_idrSent)
        {
            result.Add(new IdPayload(PayloadType.IdResponder, sa.LocalIdentity.Type, sa.LocalIdentity.Data));
            _idrSent = true;
        }
        result.AddRange(payloads);
        return result;
    }

    /// <summary>
    /// The status notifies of an IKE_AUTH request, kept for the post-authentication hook: FortiClient puts
    /// FORTICLIENT_CONNECT and ZTNA_TAG in whichever request it likes (the first, or with EAP the last). The
    /// first notify of a type is kept; a later one of the same type is ignored, so what the hook sees cannot
    /// change between rounds (docs/protocol.md). Each is logged as processed, with what FortiOS prints about
    /// its content; a tunnel notify (ZTNA_TAG) is logged once the tunnel instance exists (<see cref="LogTunnelNotifies"/>).
    /// </summary>
    private void ProcessNotifies(IkeSa sa, IkeMessage request)
    {
        foreach (var p in request.Payloads)
        {
            if (p is not NotifyPayload n || n.IsError)
                continue;
            var type = (ushort)n.NotifyType;
            if (sa.AuthNotifies.Exists(r => r.Type == type))
            {
                m.Debug.Sa(sa.LogName, sa.Serial, $"ignoring repeated notify type {NotifyName(n.NotifyType)}");
                continue;
            }
            var received = new ReceivedNotify(type, (byte)n.Protocol, n.Spi, n.Data);
            sa.AuthNotifies.Add(received);
            if (m.Options.TunnelNotify?.Invoke(type) != true)
                LogNotify(sa, received);
        }
    }

    private void LogNotify(IkeSa sa, ReceivedNotify n)
    {
        if (!IsLogged((NotifyType)n.Type) || !m.Debug.IsEnabled)
            return;
        m.Debug.Sa(sa.LogName, sa.Serial, $"processing notify type {NotifyName((NotifyType)n.Type)}");
        if (m.Options.DescribeNotify is { } describe)
        {
            foreach (var line in describe(n.Type, n.Data))
                m.Debug.Sa(sa.LogName, sa.Serial, line);
        }
    }

    /// <summary>The notifies that belong to the tunnel rather than the negotiation (FortiClient's ZTNA_TAG, re-sent in INFORMATIONAL later), logged under the instance's name.</summary>
    private void LogTunnelNotifies(IkeSa sa)
    {
        foreach (var n in sa.AuthNotifies)
        {
            if (m.Options.TunnelNotify?.Invoke(n.Type) == true)
                LogNotify(sa, n);
        }
    }

    private string NotifyName(NotifyType type) =>
        m.Options.PrivateNotifyNames?.Invoke((ushort)type) ?? type.IanaName();

    /// <summary>Authentication done: instance name, then the (possibly async) post-authentication hook.</summary>
    private ResponderAnswer? Authenticated(IkeSa sa, IkeMessage? notifiesOf)
    {
        m.Debug.Sa(sa.LogName, sa.Serial, "responder AUTH continuation");
        // A revocation pushed while the EAP round ran found no named tunnel to delete: it is checked again here.
        if (sa is { PeerCertificate: { } proven, PeerCertificateIssuer: { } issuer }
            && sa.Config.PeerCertificates?.Revocations.Any(r => r.IsRevoked(proven, issuer)) == true)
            return Fail(sa, $"certificate serial {proven.SerialNumber} ({proven.Subject}) was revoked during authentication");
        m.Debug.Sa(sa.LogName, sa.Serial, "authentication succeeded");
        sa.PeerProven();
        if (notifiesOf is not null)
            ProcessNotifies(sa, notifiesOf);
        // Computed now: the secret (the MSK) is gone if the SA is destroyed while the hook runs.
        if (_authenticator!.BuildOwnAuth(sa) is not { } ownAuth)
            return Fail(sa, "no signature scheme the peer accepts for our certificate");
        var instance = m.AcquireInstance(sa);
        LogTunnelNotifies(sa);
        var context = new PostAuthenticationContext(sa.Config.Name, instance, sa.Serial, sa.Remote, sa.PeerIdentity!,
            sa.EapIdentity, [.. sa.AuthNotifies], [.. sa.VendorIds], line => m.Debug.Sa(sa.LogName, sa.Serial, line))
        {
            SetFortiClientUid = sa.FortiClientUidReceived,
            DeviceCertificateUid = sa.PeerCertificate is { } cert && Auth.DeviceCertificateUid.TryRead(cert, out var uid, out _) ? uid : null,
            PeerCertificateSha256 = sa.PeerCertificate is { } provenCertificate ? System.Security.Cryptography.SHA256.HashData(provenCertificate.RawData) : null,
            TunnelDebug = line => m.Debug.Tunnel(instance, line),
        };
        sa.AwaitingHook = true;
        ValueTask<PostAuthenticationDecision> pending;
        var hookToken = m.BeginPostAuthentication(sa);
        try
        {
            pending = m.Options.PostAuthentication.OnAuthenticatedAsync(context, hookToken);
        }
        catch (Exception e)
        {
            pending = ValueTask.FromResult<PostAuthenticationDecision>(
                new PostAuthenticationDecision.Deny((ushort)NotifyType.AuthenticationFailed, [], "hook failed: " + e.Message));
        }
        if (sa.Config.AddressPool is ISharedAddressPool shared && IkeConfig.RequestsAddress(sa.PendingChild?.Config))
            pending = ThenReserveAsync(sa, instance, shared, pending, hookToken);
        if (pending.IsCompleted)
        {
            m.EndPostAuthentication(sa);
            return Decide(sa, ownAuth, Result(pending.AsTask()));
        }
        // The receive loop goes on; the answer is sent when the hook decides (retransmits are dropped meanwhile).
        pending.AsTask().ContinueWith(t =>
        {
            lock (sa.Gate)
            {
                m.EndPostAuthentication(sa);
                if (Decide(sa, ownAuth, Result(t)) is { } answer)
                    AnswerLater(m, sa, answer);
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return null;
    }

    /// <summary>
    /// A shared pool's address is reserved once the peer is allowed, off the receive loop; the
    /// reply (§3.15.1) then takes it synchronously, or sends INTERNAL_ADDRESS_FAILURE (§3.15.4).
    /// </summary>
    private static async ValueTask<PostAuthenticationDecision> ThenReserveAsync(IkeSa sa, string instance, ISharedAddressPool pool,
        ValueTask<PostAuthenticationDecision> decision, CancellationToken ct)
    {
        var d = await decision.ConfigureAwait(false);
        if (d is not PostAuthenticationDecision.Allow)
            return d;
        string owner;
        // The hook has named the user's UID (FortiClient's, proven or not) by now; else the EAP identity.
        lock (sa.Gate)
            owner = sa.FortiClientUid ?? sa.EapIdentity ?? sa.PeerIdentity?.ToString() ?? instance;
        await pool.ReserveAsync(instance, owner, ct).ConfigureAwait(false);
        // Destroyed meanwhile (timeout, DELETE): its release came before the lease did.
        lock (sa.Gate)
        {
            if (sa.State == IkeSaState.Destroyed)
                pool.Release(instance);
        }
        return d;
    }

    private static PostAuthenticationDecision Result(Task<PostAuthenticationDecision> t) =>
        t.IsCompletedSuccessfully ? t.Result
        : new PostAuthenticationDecision.Deny((ushort)NotifyType.AuthenticationFailed, [],
            t.IsCanceled ? "post-authentication check timed out" : "post-authentication check failed: " + t.Exception?.InnerException?.Message);

    private ResponderAnswer? Decide(IkeSa sa, IReadOnlyList<IkePayload> ownAuth, PostAuthenticationDecision decision)
    {
        sa.AwaitingHook = false;
        if (sa.State == IkeSaState.Destroyed)
            return null;
        if (decision is PostAuthenticationDecision.Deny deny)
        {
            // FortiOS's one error line, then what the refusal says (the seed's Example 1).
            m.Debug.NegotiateError(sa.LogName, deny.Error ?? deny.Reason);
            foreach (var line in deny.Sending)
                m.Debug.Sa(sa.LogName, sa.Serial, line);
            return new ResponderAnswer(
                [new NotifyPayload((NotifyType)deny.NotifyType, deny.NotifyData), .. deny.StatusNotifies.Select(n => new NotifyPayload((NotifyType)n.Type, n.Data))],
                () => m.Destroy(sa, deny.Reason));
        }
        var allow = (PostAuthenticationDecision.Allow)decision;
        var payloads = WithIdr(sa, ownAuth);
        payloads.AddRange(ChildInAuth(sa));
        foreach (var n in allow.ExtraNotifies)
            payloads.Add(new NotifyPayload((NotifyType)n.Type, n.Data));
        if (sa.AuthNotifies.Any(n => n.Type == (ushort)NotifyType.InitialContact))
            m.DeleteOlderDuplicates(sa);
        return new ResponderAnswer(payloads, () =>
        {
            m.OnEstablished(sa);
            m.Debug.Sa(sa.LogName, sa.Serial, $"established IKE SA {sa.SpiI:x16}/{sa.SpiR:x16}");
        });
    }

    /// <summary>CP and the first CHILD_SA (§1.2); their failures are notifies, the IKE SA stays.</summary>
    private List<IkePayload> ChildInAuth(IkeSa sa)
    {
        var pending = sa.TakeChildRequest();
        var result = new List<IkePayload>();
        if (pending.ChildSa is not null && IkeConfig.AddressRequired(sa) && !IkeConfig.RequestsAddress(pending.Config))
        {
            // §3.10.1 FAILED_CP_REQUIRED: with a pool the inner source is the leased address, so a CHILD_SA
            // needs CP(CFG_REQUEST) for it; the IKE SA is still created (§1.2).
            m.Debug.Sa(sa.LogName, sa.Serial, "no mode-cfg address request, CHILD_SA refused");
            result.Add(new NotifyPayload(NotifyType.FailedCpRequired));
            return result;
        }
        var reply = IkeConfig.BuildReply(m, sa, pending.Config, out var addressFailure);
        if (addressFailure)
        {
            // §3.15.4: no address, no CHILD_SA; the IKE SA is still created.
            result.Add(new NotifyPayload(NotifyType.InternalAddressFailure));
            return result;
        }
        if (reply is not null)
            result.Add(reply);
        if (pending.ChildSa is null)
            return result;
        m.Debug.Sa(sa.LogName, sa.Serial, "responder creating new child");
        result.AddRange(ChildCreate.Respond(m, sa, pending.ChildSa, pending.TsI, pending.TsR, sa.NonceI, sa.NonceR, [],
            inAuth: true, keGroup: null, rekeyed: null, out var child, out _));
        if (child is not null)
            m.RaiseChildInstalled(sa, child, rekey: false);
        return result;
    }

    /// <summary>
    /// §1.2 and §2.16: the first IKE_AUTH request names the initiator (IDi); a CHILD_SA asks with SA, TSi and TSr
    /// together (none of them: no CHILD_SA, as RFC 6023 allows). Null reason when usable.
    /// </summary>
    private static bool TryReadFirstRequest(IkeMessage request, out IdPayload idi, out IkeAuthRequestState child, out string reason)
    {
        IdPayload? id = null;
        TsPayload? tsi = null, tsr = null;
        foreach (var p in request.Payloads)
        {
            switch (p)
            {
                case IdPayload { Type: PayloadType.IdInitiator } i:
                    id = i;
                    break;
                case TsPayload { Type: PayloadType.TrafficSelectorInitiator } t:
                    tsi = t;
                    break;
                case TsPayload { Type: PayloadType.TrafficSelectorResponder } t:
                    tsr = t;
                    break;
            }
        }
        var offer = request.Find<SaPayload>();
        idi = id!;
        child = new IkeAuthRequestState(offer, tsi?.Selectors ?? [], tsr?.Selectors ?? [], request.Find<ConfigPayload>());
        reason = id is null ? "IDi missing in the first IKE_AUTH request"
            : (offer is null) != (tsi is null) || (offer is null) != (tsr is null) ? "SA, TSi and TSr must come together"
            : "";
        return reason.Length == 0;
    }

    /// <summary>
    /// §2.21.2: the failure notify (AUTHENTICATION_FAILED, or INVALID_SYNTAX for a malformed request) in the
    /// encrypted response, and the IKE SA is not created. One warning line: the peer's doing, not ours.
    /// </summary>
    private ResponderAnswer Fail(IkeSa sa, string reason, NotifyType notify = NotifyType.AuthenticationFailed)
    {
        m.Debug.Sa(sa.LogName, sa.Serial, $"authentication failed: {reason}");
        m.ReportAuthFailure(sa, reason);
        return new ResponderAnswer([new NotifyPayload(notify)], () => m.Destroy(sa, "authentication failed"));
    }
}
