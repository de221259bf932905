// The initiator role of the same state machine (what strongSwan's charon does as a client):
//   IKE_SA_INIT (COOKIE and INVALID_KE_PAYLOAD retries) → move to UDP 4500 when a NAT is seen or
//   encapsulation is forced → IKE_AUTH { IDi [N(INITIAL_CONTACT)] [IDr] CP(REQUEST) SA TSi TSr [N…] [AUTH] }
//   → verify the gateway's PSK AUTH → EAP rounds → AUTH(MSK) → CP reply, CHILD_SA installed.
// An EAP-Success is accepted only when the EAP method itself finished (EapPeerSession decides).
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Eap;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tasks.Authentication;

namespace PostureGate.Ike.Tasks;

internal sealed class IkeInitiator
{
    private readonly IkeTaskContext _m;
    private readonly IkeInitiatorOptions _o;
    private readonly TaskCompletionSource<IkeInitiateResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IkeSa _sa;
    private uint _childSpi;

    public IkeInitiator(IkeTaskContext m, IkeInitiatorOptions o)
    {
        _m = m;
        _o = o;
        _sa = new IkeSa(m.NextSerial(), o.Config, initiator: true, SpiGenerator.NewIkeSpi(), 0, o.Local, o.Remote, m.Now,
            new IkeProposal(o.Config.Proposals[0], o.Config.DhGroups[0]));
    }

    public Task<IkeInitiateResult> Run()
    {
        lock (_sa.Gate)
        {
            _m.AddHalfOpen(_sa, _o.Remote);
            SendInit();
        }
        return _done.Task;
    }

    private void Finish(IkeInitiateResult result)
    {
        if (!result.Success && _sa.State != IkeSaState.Destroyed && _sa.Established is null)
            _m.Destroy(_sa, result.Error ?? "failed");
        _done.TrySetResult(result);
    }

    private void SendInit() =>
        _m.Outbound.Request(_sa, ExchangeType.IkeSaInit, "ike_init", s => IkeInit.BuildRequest(_m, s, _o.ForceEncapsulation), (s, response) =>
        {
            if (response is null)
            {
                Finish(IkeInitiateResult.Failed("IKE_SA_INIT timed out"));
                return;
            }
            switch (IkeInit.ProcessResponse(_m, s, response, out var failure))
            {
                case IkeInit.InitOutcome.Retry:
                    s.NextRequestId = 0; // §2.6 / §1.2: the retry is a new IKE_SA_INIT with Message ID 0
                    SendInit();
                    return;
                case IkeInit.InitOutcome.Failed:
                    Finish(IkeInitiateResult.Failed(failure!));
                    return;
            }
            // §2.23: after a NAT (or with forced encapsulation) IKE continues on port 4500.
            if ((s.NatLocal || s.NatRemote || _o.ForceEncapsulation) && s.Remote.Port != _m.Options.NatTPort)
            {
                s.Local = new IPEndPoint(s.Local.Address, _m.Options.NatTPort);
                s.Remote = new IPEndPoint(s.Remote.Address, _m.Options.NatTPort);
            }
            s.BeginAuthentication();
            SendAuth();
        });

    private void SendAuth()
    {
        // With a certificate the first round's ID is the certificate's name (RFC 4945 §3.1); the EAP user follows in round 2 (RFC 4739).
        var signs = CertificateAuth.Signs(_sa);
        var identity = _o.Identity ?? (signs ? _sa.Config.LocalCertificates[0].DefaultIdentity
            : _o.EapUser is { } u ? IkeIdentity.FromString(u) : IkeIdentity.FromAddress(_o.Local.Address));
        _sa.LocalIdentified(identity, new IdPayload(PayloadType.IdInitiator, identity.Type, identity.Data).EncodeBody());
        _childSpi = SpiGenerator.NewEspSpi();
        var child = _o.Config.Children[0];
        _m.Outbound.Request(_sa, ExchangeType.IkeAuth, "ike_auth", s =>
        {
            // Payload order as strongSwan 5.9.8 sends it (INITIATOR-MESSAGES.md).
            var payloads = new List<IkePayload> { new IdPayload(PayloadType.IdInitiator, identity.Type, identity.Data) };
            if (_o.InitialContact)
                payloads.Add(new NotifyPayload(NotifyType.InitialContact));
            if (_o.RemoteIdentity is { } rid)
                payloads.Add(new IdPayload(PayloadType.IdResponder, rid.Type, rid.Data));
            // §3.7: name the CAs we accept the gateway's certificate from.
            if (s.Config.PeerCertificates is { } policy)
                payloads.Add(Auth.CertificateAuthorityKeyHash.Request(policy.TrustedAuthorities));
            if (signs)
            {
                if (CertificateAuth.Own(s, out var problem) is not { } own)
                    throw new InvalidOperationException(problem); // our own configuration: the key signs with SHA-2 or SHA-1
                payloads.AddRange(own);
            }
            else if (!s.Config.EapEnabled)
                payloads.Add(SharedKeyMic.Build(s, s.Config.Psk));
            if (_o.RequestAddress || _o.RequestDns)
                payloads.Add(IkeConfig.BuildRequest(_o.RequestAddress, _o.RequestDns));
            payloads.Add(new SaPayload(ProposalSelector.BuildEspOffer(child.Proposals, Proposals.KeyExchangeMethod.None, _childSpi)));
            payloads.Add(new TsPayload(PayloadType.TrafficSelectorInitiator, OfferedLocal));
            payloads.Add(new TsPayload(PayloadType.TrafficSelectorResponder, OfferedRemote()));
            if (!(_o.AuthNotifiesInLastRequest && s.Config.EapEnabled))
                payloads.AddRange(AuthNotifies());
            if (signs && s.Config.EapEnabled)
            {
                // RFC 4739 §3: we support more rounds, and EAP follows as round 2.
                payloads.Add(new NotifyPayload(NotifyType.MultipleAuthSupported));
                payloads.Add(new NotifyPayload(NotifyType.AnotherAuthFollows));
            }
            return payloads;
        }, OnFirstAuthResponse);
    }

    private static readonly TrafficSelector[] OfferedLocal = [TrafficSelector.Any()];

    private TrafficSelector[] OfferedRemote() => [.. _o.RemoteTs.Select(n => TrafficSelector.FromPrefix(n.NetworkAddress, n.PrefixLength))];

    private IEnumerable<IkePayload> AuthNotifies() => _o.AuthNotifies.Select(n => new NotifyPayload((NotifyType)n.Type, n.Data));

    private void OnFirstAuthResponse(IkeSa s, IkeMessage? response)
    {
        if (response is null)
        {
            Finish(IkeInitiateResult.Failed("IKE_AUTH timed out"));
            return;
        }
        var idr = response.FindAll<IdPayload>().FirstOrDefault(p => p.Type == PayloadType.IdResponder);
        var auth = response.Find<AuthPayload>();
        if (idr is null || auth is null)
        {
            Finish(Refused(response, "IKE_AUTH response without IDr/AUTH"));
            return;
        }
        s.PeerIdentified(new IkeIdentity(idr.IdType, idr.Data), idr.EncodeBody());
        // A signing gateway (FortiOS `authmethod signature`) proves its name with a certificate from the CAs
        // we trust (§2.15, RFC 4945 §3.1); otherwise it authenticates with the PSK.
        if (s.Config.PeerCertificates is { } policy)
        {
            if (!CertificateAuth.VerifyPeer(s, response, policy, _m.Time, out var why))
            {
                Finish(IkeInitiateResult.Failed("gateway certificate authentication failed: " + why) with { PeerCertificateRejected = true });
                return;
            }
            if (_o.DialledName is { } dialled && !Auth.CertificateIdentityMatch.Matches(dialled.Type, dialled.Data, s.PeerCertificate!))
            {
                Finish(IkeInitiateResult.Failed($"gateway certificate authentication failed: {s.PeerCertificate!.Subject} does not name {dialled.Text}, the gateway dialled")
                    with { PeerCertificateRejected = true });
                return;
            }
        }
        else if (!SharedKeyMic.Verify(s, auth, s.Config.Psk))
        {
            Finish(IkeInitiateResult.Failed("gateway AUTH did not verify"));
            return;
        }
        if (!s.Config.EapEnabled)
        {
            Established(s, response);
            return;
        }
        if (CertificateAuth.Signs(s))
        {
            SecondRound(s);
            return;
        }
        if (response.Find<EapPayload>() is not { } eap)
        {
            Finish(IkeInitiateResult.Failed("gateway did not start EAP"));
            return;
        }
        s.EapPeer = new EapPeerSession(_o.EapUser ?? "", _o.EapPassword ?? "");
        OnEap(s, eap);
    }

    /// <summary>RFC 4739 §3: after the certificate round, the user's IDi opens the EAP round; its AUTH(MSK) covers this IDi.</summary>
    private void SecondRound(IkeSa s)
    {
        if (!s.MultipleAuth)
        {
            Finish(IkeInitiateResult.Failed("gateway does not support a second authentication round (no MULTIPLE_AUTH_SUPPORTED)"));
            return;
        }
        var user = IkeIdentity.FromString(_o.EapUser ?? "");
        var idi = new IdPayload(PayloadType.IdInitiator, user.Type, user.Data);
        s.LocalIdentified(user, idi.EncodeBody());
        _m.Outbound.Request(s, ExchangeType.IkeAuth, "ike_auth_round2", _ => [idi], (s2, response) =>
        {
            if (response?.Find<EapPayload>() is not { } eap)
            {
                Finish(IkeInitiateResult.Failed(response?.FindErrorNotify()?.NotifyType.IanaName() ?? "gateway did not start EAP in round 2"));
                return;
            }
            s2.EapPeer = new EapPeerSession(_o.EapUser ?? "", _o.EapPassword ?? "");
            OnEap(s2, eap);
        });
    }

    private void OnEap(IkeSa s, EapPayload eap)
    {
        switch (s.EapPeer!.Process(eap.Message))
        {
            case EapPeerStep.Respond r:
                _m.Outbound.Request(s, ExchangeType.IkeAuth, "ike_auth_eap", _ => [new EapPayload(r.Response)], (s2, response) =>
                {
                    if (response is null)
                        Finish(IkeInitiateResult.Failed("IKE_AUTH timed out"));
                    else if (response.Find<EapPayload>() is { } next)
                        OnEap(s2, next);
                    else
                        Finish(Refused(response, "EAP round without EAP payload"));
                });
                break;
            case EapPeerStep.Succeeded ok:
                s.EapSucceeded(ok.Msk, _o.EapUser);
                _m.Outbound.Request(s, ExchangeType.IkeAuth, "ike_auth_final",
                    s2 => [SharedKeyMic.Build(s2, s2.Msk!), .. _o.AuthNotifiesInLastRequest ? AuthNotifies() : []],
                    (s2, response) =>
                    {
                        if (response is null)
                        {
                            Finish(IkeInitiateResult.Failed("IKE_AUTH timed out"));
                            return;
                        }
                        if (response.Find<AuthPayload>() is not { } auth || !SharedKeyMic.Verify(s2, auth, s2.Msk!))
                        {
                            Finish(Refused(response, "gateway EAP AUTH did not verify"));
                            return;
                        }
                        Established(s2, response);
                    });
                break;
            case EapPeerStep.Failed f:
                Finish(IkeInitiateResult.Failed("EAP failed: " + f.Reason));
                break;
        }
    }

    // A refusal names its error notify; the status notifies beside it (a gateway's reason) go to the caller.
    private static IkeInitiateResult Refused(IkeMessage response, string fallback) =>
        IkeInitiateResult.Failed(response.FindErrorNotify()?.NotifyType.IanaName() ?? fallback) with { Notifies = NotifiesOf(response) };

    private static ReceivedNotify[] NotifiesOf(IkeMessage response) =>
        [.. response.FindAll<NotifyPayload>().Select(n => new ReceivedNotify((ushort)n.NotifyType, (byte)n.Protocol, n.Spi, n.Data))];

    private void Established(IkeSa s, IkeMessage response)
    {
        s.PeerProven();
        _m.NameInstance(s, s.Config.Name);
        var (address, netmask, dns, subnets) = IkeConfig.ReadReply(response.Find<ConfigPayload>());
        if (address is not null)
            s.VirtualIpAssigned(address);
        var child = ChildCreate.Complete(_m, s, s.Config.Children[0], response, _childSpi, Proposals.KeyExchangeMethod.None,
            s.NonceI, s.NonceR, [], OfferedLocal, OfferedRemote(), out var childError);
        _m.OnEstablished(s);
        if (child is not null)
            _m.RaiseChildInstalled(s, child, rekey: false);
        Finish(new IkeInitiateResult
        {
            Success = true,
            Instance = s.LogName,
            Serial = s.Serial,
            SpiI = s.SpiI,
            SpiR = s.SpiR,
            VirtualIp = address,
            Netmask = netmask,
            Dns = dns,
            SplitNetworks = subnets,
            Child = child?.Installation,
            ChildError = childError,
            Notifies = NotifiesOf(response),
        });
    }
}
