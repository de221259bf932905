// RFC 7296 §1.2 / §2.16 IKE_AUTH, initiator side (charon's ike_auth + ike_config + child_create
// build_i/process_i, one task for the exchange's rounds):
//   IKE_AUTH { IDi [N(INITIAL_CONTACT)] [IDr] CP(REQUEST) SA TSi TSr [N…] [AUTH] } → verify the
//   gateway's PSK AUTH or certificate → [RFC 4739 round 2: IDi of the EAP user] → EAP rounds →
//   AUTH(MSK) → CP reply, CHILD_SA installed.
// An EAP-Success is accepted only when the EAP method itself finished (EapPeerSession decides).
using PostureGate.Ike.Config;
using PostureGate.Ike.Eap;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tasks.Authentication;

namespace PostureGate.Ike.Tasks;

internal sealed class IkeAuthInitiator(IkeTaskContext m, IkeInitiatorOptions o, Action<IkeSa, IkeInitiateResult> finish) : IIkeTask
{
    /// <summary>Which request of the exchange comes next.</summary>
    private enum Round
    {
        First,
        SecondIdentity,
        Eap,
        Final,
        Done,
    }

    private static readonly TrafficSelector[] OfferedLocal = [TrafficSelector.Any()];

    private Round _round = Round.First;
    private byte[] _eapResponse = [];
    private IdPayload? _secondIdi;
    private uint _childSpi;

    public ExchangeType Exchange => ExchangeType.IkeAuth;

    public string Name => _round switch
    {
        Round.SecondIdentity => "ike_auth_round2",
        Round.Eap => "ike_auth_eap",
        Round.Final => "ike_auth_final",
        _ => "ike_auth",
    };

    public bool NeedsMore => _round != Round.Done;

    public IReadOnlyList<IkePayload>? Build(IkeSa sa) => _round switch
    {
        Round.First => BuildFirst(sa),
        Round.SecondIdentity => [_secondIdi!],
        Round.Eap => [new EapPayload(_eapResponse)],
        Round.Final => [SharedKeyMic.Build(sa, sa.Msk!), .. o.AuthNotifiesInLastRequest ? AuthNotifies() : []],
        _ => null,
    };

    public void Process(IkeSa sa, IkeMessage? response)
    {
        var round = _round;
        _round = Round.Done; // unless the response leads to another round
        if (response is null)
        {
            finish(sa, IkeInitiateResult.Failed(round == Round.SecondIdentity ? "gateway did not start EAP in round 2" : "IKE_AUTH timed out"));
            return;
        }
        switch (round)
        {
            case Round.First:
                ProcessFirst(sa, response);
                break;
            case Round.SecondIdentity:
                if (response.Find<EapPayload>() is not { } started)
                {
                    finish(sa, IkeInitiateResult.Failed(response.FindErrorNotify()?.NotifyType.IanaName() ?? "gateway did not start EAP in round 2"));
                    return;
                }
                sa.EapPeer = new EapPeerSession(o.EapUser ?? "", o.EapPassword ?? "");
                OnEap(sa, started);
                break;
            case Round.Eap:
                if (response.Find<EapPayload>() is { } next)
                    OnEap(sa, next);
                else
                    finish(sa, Refused(response, "EAP round without EAP payload"));
                break;
            case Round.Final:
                if (response.Find<AuthPayload>() is not { } auth || !SharedKeyMic.Verify(sa, auth, sa.Msk!))
                {
                    finish(sa, Refused(response, "gateway EAP AUTH did not verify"));
                    return;
                }
                Established(sa, response);
                break;
        }
    }

    private List<IkePayload> BuildFirst(IkeSa sa)
    {
        // With a certificate the first round's ID is the certificate's name (RFC 4945 §3.1); the EAP user follows in round 2 (RFC 4739).
        var signs = CertificateAuth.Signs(sa);
        var identity = o.Identity ?? (signs ? sa.Config.LocalCertificates[0].DefaultIdentity
            : o.EapUser is { } u ? IkeIdentity.FromString(u) : IkeIdentity.FromAddress(o.Local.Address));
        sa.LocalIdentified(identity, new IdPayload(PayloadType.IdInitiator, identity.Type, identity.Data).EncodeBody());
        _childSpi = SpiGenerator.NewEspSpi();
        var child = o.Config.Children[0];
        // Payload order as strongSwan 5.9.8 sends it (INITIATOR-MESSAGES.md).
        var payloads = new List<IkePayload> { new IdPayload(PayloadType.IdInitiator, identity.Type, identity.Data) };
        if (o.InitialContact)
            payloads.Add(new NotifyPayload(NotifyType.InitialContact));
        if (o.RemoteIdentity is { } rid)
            payloads.Add(new IdPayload(PayloadType.IdResponder, rid.Type, rid.Data));
        // §3.7: name the CAs we accept the gateway's certificate from.
        if (sa.Config.PeerCertificates is { } policy)
            payloads.Add(Auth.CertificateAuthorityKeyHash.Request(policy.TrustedAuthorities));
        if (signs)
        {
            if (CertificateAuth.Own(sa, out var problem) is not { } own)
                throw new InvalidOperationException(problem); // our own configuration: the key signs with SHA-2 or SHA-1
            payloads.AddRange(own);
        }
        else if (!sa.Config.EapEnabled)
            payloads.Add(SharedKeyMic.Build(sa, sa.Config.Psk));
        if (o.RequestAddress || o.RequestDns)
            payloads.Add(IkeConfig.BuildRequest(o.RequestAddress, o.RequestDns));
        payloads.Add(new SaPayload(ProposalSelector.BuildEspOffer(child.Proposals, Proposals.KeyExchangeMethod.None, _childSpi)));
        payloads.Add(new TsPayload(PayloadType.TrafficSelectorInitiator, OfferedLocal));
        payloads.Add(new TsPayload(PayloadType.TrafficSelectorResponder, OfferedRemote()));
        if (!(o.AuthNotifiesInLastRequest && sa.Config.EapEnabled))
            payloads.AddRange(AuthNotifies());
        if (signs && sa.Config.EapEnabled)
        {
            // RFC 4739 §3: we support more rounds, and EAP follows as round 2.
            payloads.Add(new NotifyPayload(NotifyType.MultipleAuthSupported));
            payloads.Add(new NotifyPayload(NotifyType.AnotherAuthFollows));
        }
        return payloads;
    }

    private TrafficSelector[] OfferedRemote() => [.. o.RemoteTs.Select(n => TrafficSelector.FromPrefix(n.NetworkAddress, n.PrefixLength))];

    private IEnumerable<IkePayload> AuthNotifies() => o.AuthNotifies.Select(n => new NotifyPayload((NotifyType)n.Type, n.Data));

    private void ProcessFirst(IkeSa sa, IkeMessage response)
    {
        var idr = response.FindAll<IdPayload>().FirstOrDefault(p => p.Type == PayloadType.IdResponder);
        var auth = response.Find<AuthPayload>();
        if (idr is null || auth is null)
        {
            finish(sa, Refused(response, "IKE_AUTH response without IDr/AUTH"));
            return;
        }
        sa.PeerIdentified(new IkeIdentity(idr.IdType, idr.Data), idr.EncodeBody());
        // A signing gateway (FortiOS `authmethod signature`) proves its name with a certificate from the CAs
        // we trust (§2.15, RFC 4945 §3.1); otherwise it authenticates with the PSK.
        if (sa.Config.PeerCertificates is { } policy)
        {
            if (!CertificateAuth.VerifyPeer(sa, response, policy, m.Time, out var why))
            {
                finish(sa, IkeInitiateResult.Failed("gateway certificate authentication failed: " + why) with { PeerCertificateRejected = true });
                return;
            }
            if (o.DialledName is { } dialled && !Auth.CertificateIdentityMatch.Matches(dialled.Type, dialled.Data, sa.PeerCertificate!))
            {
                finish(sa, IkeInitiateResult.Failed($"gateway certificate authentication failed: {sa.PeerCertificate!.Subject} does not name {dialled.Text}, the gateway dialled")
                    with { PeerCertificateRejected = true });
                return;
            }
        }
        else if (!SharedKeyMic.Verify(sa, auth, sa.Config.Psk))
        {
            finish(sa, IkeInitiateResult.Failed("gateway AUTH did not verify"));
            return;
        }
        if (!sa.Config.EapEnabled)
        {
            Established(sa, response);
            return;
        }
        if (CertificateAuth.Signs(sa))
        {
            SecondRound(sa);
            return;
        }
        if (response.Find<EapPayload>() is not { } eap)
        {
            finish(sa, IkeInitiateResult.Failed("gateway did not start EAP"));
            return;
        }
        sa.EapPeer = new EapPeerSession(o.EapUser ?? "", o.EapPassword ?? "");
        OnEap(sa, eap);
    }

    /// <summary>RFC 4739 §3: after the certificate round, the user's IDi opens the EAP round; its AUTH(MSK) covers this IDi.</summary>
    private void SecondRound(IkeSa sa)
    {
        if (!sa.MultipleAuth)
        {
            finish(sa, IkeInitiateResult.Failed("gateway does not support a second authentication round (no MULTIPLE_AUTH_SUPPORTED)"));
            return;
        }
        var user = IkeIdentity.FromString(o.EapUser ?? "");
        _secondIdi = new IdPayload(PayloadType.IdInitiator, user.Type, user.Data);
        sa.LocalIdentified(user, _secondIdi.EncodeBody());
        _round = Round.SecondIdentity;
    }

    private void OnEap(IkeSa sa, EapPayload eap)
    {
        switch (sa.EapPeer!.Process(eap.Message))
        {
            case EapPeerStep.Respond r:
                _eapResponse = r.Response;
                _round = Round.Eap;
                break;
            case EapPeerStep.Succeeded ok:
                sa.EapSucceeded(ok.Msk, o.EapUser);
                _round = Round.Final;
                break;
            case EapPeerStep.Failed f:
                finish(sa, IkeInitiateResult.Failed("EAP failed: " + f.Reason));
                break;
        }
    }

    // A refusal names its error notify; the status notifies beside it (a gateway's reason) go to the caller.
    private static IkeInitiateResult Refused(IkeMessage response, string fallback) =>
        IkeInitiateResult.Failed(response.FindErrorNotify()?.NotifyType.IanaName() ?? fallback) with { Notifies = NotifiesOf(response) };

    private static ReceivedNotify[] NotifiesOf(IkeMessage response) =>
        [.. response.FindAll<NotifyPayload>().Select(n => new ReceivedNotify((ushort)n.NotifyType, (byte)n.Protocol, n.Spi, n.Data))];

    private void Established(IkeSa sa, IkeMessage response)
    {
        sa.PeerProven();
        m.NameInstance(sa, sa.Config.Name);
        var (address, netmask, dns, subnets) = IkeConfig.ReadReply(response.Find<ConfigPayload>());
        if (address is not null)
            sa.VirtualIpAssigned(address);
        var child = ChildCreate.Complete(m, sa, sa.Config.Children[0], response, _childSpi, Proposals.KeyExchangeMethod.None,
            sa.NonceI, sa.NonceR, [], OfferedLocal, OfferedRemote(), out var childError);
        m.OnEstablished(sa);
        if (child is not null)
            m.RaiseChildInstalled(sa, child, rekey: false);
        finish(sa, new IkeInitiateResult
        {
            Success = true,
            Gateway = sa.Remote,
            Instance = sa.LogName,
            Serial = sa.Serial,
            SpiI = sa.SpiI,
            SpiR = sa.SpiR,
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
