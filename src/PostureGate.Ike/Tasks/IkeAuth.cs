// RFC 7296 §1.2 / §2.15 / §2.16 IKE_AUTH, responder side (charon's ike_auth + eap_authenticator),
// with the gateway authenticated by the PSK and the peer by PSK or EAP:
//   req 1  IDi [N(INITIAL_CONTACT)] [IDr] [CP] SA TSi TSr [N…]      (no AUTH: "I want EAP")
//   rsp 1  IDr AUTH(PSK) EAP(Request/Identity)
//   req/rsp EAP rounds … EAP(Success)
//   req n  AUTH(MSK)
//   rsp n  AUTH(MSK) CP(REPLY) SA TSi TSr
// PSK-only: req 1 carries AUTH(PSK) and rsp 1 is the last one. Between "authentication
// succeeded" and the CHILD_SA the post-authentication hook decides (async).
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Config;
using PostureGate.Ike.Eap;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal static class IkeAuth
{
    /// <summary>Notifies FortiOS names in its debug output when it processes them.</summary>
    private static bool IsLogged(NotifyType t) => t is NotifyType.InitialContact or NotifyType.SetWindowSize
        || (ushort)t >= 40960 || t == NotifyType.EapOnlyAuthentication;

    public static void ResponderProcess(IkeSaManager m, IkeSa sa, IkeMessage request, byte[] requestHash)
    {
        if (sa.AuthFailed || sa.State is IkeSaState.Established or IkeSaState.Rekeying or IkeSaState.Deleting)
        {
            // §1.2: IKE_AUTH after the SA is up, or after a failure, is refused.
            Fail(m, sa, request, requestHash, "IKE_AUTH in the wrong state");
            return;
        }
        if (sa.State == IkeSaState.Connecting)
        {
            First(m, sa, request, requestHash);
            return;
        }
        var auth = request.Find<AuthPayload>();
        var eap = request.Find<EapPayload>();
        if (sa.EapServer is not null && !sa.EapCompleted && eap is not null)
        {
            ProcessNotifies(m, sa, request);
            EapRound(m, sa, request, requestHash, eap);
            return;
        }
        if (sa.EapCompleted && auth is not null)
        {
            m.Debug.Sa(sa.LogName, sa.Serial, "responder received AUTH msg");
            m.Debug.Sa(sa.LogName, sa.Serial, $"peer identifier {sa.PeerIdentity}");
            // §2.16: after EAP the AUTH payloads are keyed with the MSK.
            if (!VerifyAuth(sa, auth, sa.Msk!))
            {
                Fail(m, sa, request, requestHash, "EAP AUTH payload did not verify");
                return;
            }
            m.Debug.Sa(sa.LogName, sa.Serial, "auth verify done");
            // This message's notifies count only once its AUTH verified (FortiOS logs them after
            // "authentication succeeded", the seed's Example 2).
            Authenticated(m, sa, request, requestHash, includeIdr: false, sa.Msk!, notifiesOf: request);
            return;
        }
        Fail(m, sa, request, requestHash, "unexpected IKE_AUTH round");
    }

    private static void First(IkeSaManager m, IkeSa sa, IkeMessage request, byte[] requestHash)
    {
        // Everything the peer must send is checked before anything about the SA changes.
        if (!TryReadFirstRequest(request, out var idi, out var child, out var problem))
        {
            Fail(m, sa, request, requestHash, problem, NotifyType.InvalidSyntax);
            return;
        }
        sa.State = IkeSaState.Authenticating;
        m.Debug.Sa(sa.LogName, sa.Serial, "responder received AUTH msg");
        // Before the peer's ID, as FortiOS logs them (the seed's Example 1: "received FCT-UID" …
        // then "peer identifier"); a failure below discards them with the SA.
        ProcessNotifies(m, sa, request);
        foreach (var v in request.FindAll<VendorIdPayload>())
            sa.VendorIds.Add(v.Data);
        sa.PeerIdentity = new IkeIdentity(idi.IdType, idi.Data);
        sa.PeerIdBody = idi.EncodeBody();
        m.Debug.Sa(sa.LogName, sa.Serial, $"peer identifier {idi}");
        if (sa.Config.PeerId is { } wanted && !wanted.Matches(sa.PeerIdentity))
        {
            Fail(m, sa, request, requestHash, $"peer ID {sa.PeerIdentity} does not match {wanted}");
            return;
        }
        if (sa.Config.EapEnabled)
            m.Debug.Sa(sa.LogName, sa.Serial, "eap-peer=yes");
        m.Debug.Sa(sa.LogName, sa.Serial, "re-validate gw ID");
        if (!m.Options.GatewayMatch.Validate(sa.Config.Name, sa.Remote, out var reason))
        {
            Fail(m, sa, request, requestHash, $"gw validation failed: {reason}");
            return;
        }
        m.Debug.Sa(sa.LogName, sa.Serial, "gw validation OK");

        // The IDr the peer asked for (§3.5) is its business: we answer with the configured local ID.
        sa.LocalIdentity = sa.Config.LocalId ?? IkeIdentity.FromAddress(sa.Local.Address);
        sa.LocalIdBody = new IdPayload(PayloadType.IdResponder, sa.LocalIdentity.Type, sa.LocalIdentity.Data).EncodeBody();
        sa.PendingChild = child;

        var auth = request.Find<AuthPayload>();
        if (sa.Config.EapEnabled)
        {
            if (auth is not null)
            {
                Fail(m, sa, request, requestHash, "peer authenticates with a key but EAP is required");
                return;
            }
            m.Debug.Sa(sa.LogName, sa.Serial, "responder preparing EAP identity request");
            sa.EapServer = new EapServerSession(sa.Config.EapPasswordLookup, sa.LocalIdentity.Text);
            var eapRequest = sa.EapServer.Start();
            m.Outbound.Respond(sa, request, requestHash,
            [
                new IdPayload(PayloadType.IdResponder, sa.LocalIdentity.Type, sa.LocalIdentity.Data),
                new AuthPayload(AuthMethod.SharedKeyMic, OwnAuth(sa, sa.Config.Psk)),
                new EapPayload(eapRequest),
            ]);
            return;
        }
        if (auth is null)
        {
            Fail(m, sa, request, requestHash, "no AUTH payload and EAP is not enabled");
            return;
        }
        if (!VerifyAuth(sa, auth, sa.Config.Psk))
        {
            Fail(m, sa, request, requestHash, "AUTH payload did not verify: PSK or ID mismatch");
            return;
        }
        m.Debug.Sa(sa.LogName, sa.Serial, "auth verify done");
        Authenticated(m, sa, request, requestHash, includeIdr: true, sa.Config.Psk);
    }

    /// <summary>
    /// The status notifies of an IKE_AUTH request, kept for the post-authentication hook: FortiClient puts
    /// FORTICLIENT_CONNECT and ZTNA_TAG in whichever request it likes (the first, or with EAP the last). The
    /// first notify of a type is kept; a later one of the same type is ignored, so what the hook sees cannot
    /// change between rounds (docs/protocol.md). Each is logged as processed, with what FortiOS prints about
    /// its content; a tunnel notify (ZTNA_TAG) is logged once the tunnel instance exists (<see cref="LogTunnelNotifies"/>).
    /// </summary>
    private static void ProcessNotifies(IkeSaManager m, IkeSa sa, IkeMessage request)
    {
        foreach (var p in request.Payloads)
        {
            if (p is not NotifyPayload n || n.IsError)
                continue;
            var type = (ushort)n.NotifyType;
            if (sa.AuthNotifies.Exists(r => r.Type == type))
            {
                m.Debug.Sa(sa.LogName, sa.Serial, $"ignoring repeated notify type {NotifyName(m, n.NotifyType)}");
                continue;
            }
            var received = new ReceivedNotify(type, (byte)n.Protocol, n.Spi, n.Data);
            sa.AuthNotifies.Add(received);
            if (m.Options.TunnelNotify?.Invoke(type) != true)
                LogNotify(m, sa, received);
        }
    }

    private static void LogNotify(IkeSaManager m, IkeSa sa, ReceivedNotify n)
    {
        if (!IsLogged((NotifyType)n.Type) || !m.Debug.IsEnabled)
            return;
        m.Debug.Sa(sa.LogName, sa.Serial, $"processing notify type {NotifyName(m, (NotifyType)n.Type)}");
        if (m.Options.DescribeNotify is { } describe)
        {
            foreach (var line in describe(n.Type, n.Data))
                m.Debug.Sa(sa.LogName, sa.Serial, line);
        }
    }

    /// <summary>The notifies that belong to the tunnel rather than the negotiation (FortiClient's ZTNA_TAG, re-sent in INFORMATIONAL later), logged under the instance's name.</summary>
    private static void LogTunnelNotifies(IkeSaManager m, IkeSa sa)
    {
        foreach (var n in sa.AuthNotifies)
        {
            if (m.Options.TunnelNotify?.Invoke(n.Type) == true)
                LogNotify(m, sa, n);
        }
    }

    private static string NotifyName(IkeSaManager m, NotifyType type) =>
        m.Options.PrivateNotifyNames?.Invoke((ushort)type) ?? type.IanaName();

    private static void EapRound(IkeSaManager m, IkeSa sa, IkeMessage request, byte[] requestHash, EapPayload eap)
    {
        switch (sa.EapServer!.Process(eap.Message))
        {
            case EapServerStep.Continue c:
                m.Outbound.Respond(sa, request, requestHash, [new EapPayload(c.Request)]);
                break;
            case EapServerStep.Succeeded s:
                sa.Msk = s.Msk;
                sa.EapCompleted = true;
                sa.EapIdentity = sa.EapServer.Identity;
                m.Debug.Sa(sa.LogName, sa.Serial, $"EAP succeeded for user \"{sa.EapIdentity}\"");
                m.Outbound.Respond(sa, request, requestHash, [new EapPayload(s.Success)]);
                break;
            case EapServerStep.Failed f:
                // §2.16: the EAP failure goes to the peer inside IKE_AUTH; the SA is then useless.
                m.Debug.Sa(sa.LogName, sa.Serial, $"EAP authentication failed: {f.Reason}");
                sa.AuthFailed = true;
                sa.EapIdentity = sa.EapServer.Identity;
                m.ReportAuthFailure(sa, $"EAP authentication failed: {f.Reason}");
                m.Outbound.Respond(sa, request, requestHash, [new EapPayload(f.Failure)]);
                break;
        }
    }

    /// <summary>§2.15: the peer's AUTH over its IKE_SA_INIT request, our nonce and prf(SK_pi, IDi').</summary>
    private static bool VerifyAuth(IkeSa sa, AuthPayload auth, byte[] secret)
    {
        if (auth.Method != AuthMethod.SharedKeyMic)
            return false;
        var expected = sa.Keys!.SharedKeyAuth(secret, sa.IsInitiator ? sa.InitResponse : sa.InitRequest,
            sa.IsInitiator ? sa.NonceI : sa.NonceR, sa.PeerIdBody, ofInitiator: !sa.IsInitiator);
        return CryptographicOperations.FixedTimeEquals(expected, auth.Data);
    }

    /// <summary>§2.15: our AUTH over our IKE_SA_INIT message, the peer's nonce and prf(SK_px, IDx').</summary>
    internal static byte[] OwnAuth(IkeSa sa, byte[] secret) =>
        sa.Keys!.SharedKeyAuth(secret, sa.IsInitiator ? sa.InitRequest : sa.InitResponse,
            sa.IsInitiator ? sa.NonceR : sa.NonceI, sa.LocalIdBody, ofInitiator: sa.IsInitiator);

    internal static bool VerifyPeerAuth(IkeSa sa, AuthPayload auth, byte[] secret) => VerifyAuth(sa, auth, secret);

    /// <summary>Authentication done: instance name, then the (possibly async) post-authentication hook.</summary>
    private static void Authenticated(IkeSaManager m, IkeSa sa, IkeMessage request, byte[] requestHash, bool includeIdr, byte[] authSecret,
        IkeMessage? notifiesOf = null)
    {
        m.Debug.Sa(sa.LogName, sa.Serial, "responder AUTH continuation");
        m.Debug.Sa(sa.LogName, sa.Serial, "authentication succeeded");
        sa.PeerAuthenticated = true;
        if (notifiesOf is not null)
            ProcessNotifies(m, sa, notifiesOf);
        var ownAuth = OwnAuth(sa, authSecret);
        var instance = m.AcquireInstance(sa);
        LogTunnelNotifies(m, sa);
        var context = new PostAuthenticationContext(sa.Config.Name, instance, sa.Serial, sa.Remote, sa.PeerIdentity!,
            sa.EapIdentity, [.. sa.AuthNotifies], [.. sa.VendorIds], line => m.Debug.Sa(sa.LogName, sa.Serial, line))
        {
            SetFortiClientUid = uid => sa.FortiClientUid = uid,
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
        if (pending.IsCompleted)
        {
            IkeSaManager.EndPostAuthentication(sa);
            Decide(m, sa, request, requestHash, includeIdr, ownAuth, Result(pending.AsTask()));
            return;
        }
        // The receive loop goes on; the answer is sent when the hook decides (retransmits are dropped meanwhile).
        pending.AsTask().ContinueWith(t =>
        {
            lock (sa.Gate)
            {
                IkeSaManager.EndPostAuthentication(sa);
                Decide(m, sa, request, requestHash, includeIdr, ownAuth, Result(t));
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private static PostAuthenticationDecision Result(Task<PostAuthenticationDecision> t) =>
        t.IsCompletedSuccessfully ? t.Result
        : new PostAuthenticationDecision.Deny((ushort)NotifyType.AuthenticationFailed, [],
            t.IsCanceled ? "post-authentication check timed out" : "post-authentication check failed: " + t.Exception?.InnerException?.Message);

    private static void Decide(IkeSaManager m, IkeSa sa, IkeMessage request, byte[] requestHash, bool includeIdr, byte[] ownAuth, PostAuthenticationDecision decision)
    {
        sa.AwaitingHook = false;
        if (sa.State == IkeSaState.Destroyed)
            return;
        if (decision is PostAuthenticationDecision.Deny deny)
        {
            // FortiOS's one error line, then what the refusal says (the seed's Example 1).
            m.Debug.NegotiateError(sa.LogName, deny.Error ?? deny.Reason);
            foreach (var line in deny.Sending)
                m.Debug.Sa(sa.LogName, sa.Serial, line);
            m.Outbound.Respond(sa, request, requestHash,
                [new NotifyPayload((NotifyType)deny.NotifyType, deny.NotifyData), .. deny.StatusNotifies.Select(n => new NotifyPayload((NotifyType)n.Type, n.Data))]);
            m.Destroy(sa, deny.Reason);
            return;
        }
        var allow = (PostAuthenticationDecision.Allow)decision;
        var payloads = new List<IkePayload>();
        if (includeIdr)
            payloads.Add(new IdPayload(PayloadType.IdResponder, sa.LocalIdentity.Type, sa.LocalIdentity.Data));
        payloads.Add(new AuthPayload(AuthMethod.SharedKeyMic, ownAuth));
        payloads.AddRange(ChildInAuth(m, sa));
        foreach (var n in allow.ExtraNotifies)
            payloads.Add(new NotifyPayload((NotifyType)n.Type, n.Data));
        sa.PendingChild = null;
        if (sa.AuthNotifies.Any(n => n.Type == (ushort)NotifyType.InitialContact))
            m.DeleteOlderDuplicates(sa);
        m.Outbound.Respond(sa, request, requestHash, payloads);
        m.OnEstablished(sa);
        m.Debug.Sa(sa.LogName, sa.Serial, $"established IKE SA {sa.SpiI:x16}/{sa.SpiR:x16}");
    }

    /// <summary>CP and the first CHILD_SA (§1.2); their failures are notifies, the IKE SA stays.</summary>
    private static List<IkePayload> ChildInAuth(IkeSaManager m, IkeSa sa)
    {
        var pending = sa.PendingChild!;
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
    private static void Fail(IkeSaManager m, IkeSa sa, IkeMessage request, byte[] requestHash, string reason,
        NotifyType notify = NotifyType.AuthenticationFailed)
    {
        m.Debug.Sa(sa.LogName, sa.Serial, $"authentication failed: {reason}");
        m.ReportAuthFailure(sa, reason);
        m.Outbound.Respond(sa, request, requestHash, [new NotifyPayload(notify)]);
        m.Destroy(sa, "authentication failed");
    }
}
