// CHILD_SA creation (charon's child_create task): in IKE_AUTH (§1.2, no KE, nonces of the
// IKE SA) and in CREATE_CHILD_SA (§1.3.1, fresh nonces, optional PFS KE). Proposal choice in
// configured order, TS narrowing (§2.9), KEYMAT (§2.17) and installation through the kernel seam.
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tasks;

internal static class ChildCreate
{
    /// <summary>
    /// Responder: chooses, narrows and installs. Returns SA, TSi, TSr for the response, or a single error
    /// notify (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE) — the IKE SA stays up either way (§1.2).
    /// </summary>
    public static List<IkePayload> Respond(IkeTaskContext m, IkeSa sa, SaPayload offer, IReadOnlyList<TrafficSelector> tsi,
        IReadOnlyList<TrafficSelector> tsr, byte[] ni, byte[] nr, ReadOnlySpan<byte> pfsShared, bool inAuth,
        KeyExchangeMethod? keGroup, ChildSa? rekeyed, out ChildSa? created, out EspProposal chosen)
    {
        created = null;
        chosen = default;
        if (IkeConfig.AddressRequired(sa) && sa.VirtualIp is null)
        {
            // No address was leased in IKE_AUTH (no CP request): no CHILD_SA now either (§3.10.1).
            m.Debug.Sa(sa.LogName, sa.Serial, "no mode-cfg address leased, CHILD_SA refused");
            return [new NotifyPayload(NotifyType.FailedCpRequired)];
        }
        ChildConfig? cc = null;
        Proposal? which = null;
        foreach (var c in sa.Config.Children)
        {
            // §1.2: in IKE_AUTH there is no KE; in CREATE_CHILD_SA the PFS setting decides.
            var pfs = inAuth ? [] : keGroup is { } g && g != KeyExchangeMethod.None ? c.PfsGroups : [];
            if (ProposalSelector.TrySelectEsp(c.Proposals, pfs, offer.Proposals, ignoreKeyExchange: inAuth, out chosen, out which))
            {
                cc = c;
                break;
            }
        }
        if (cc is null || which is null)
        {
            m.Debug.Sa(sa.LogName, sa.Serial, "no matching phase2 proposal");
            return [new NotifyPayload(NotifyType.NoProposalChosen)];
        }
        if (!inAuth && chosen.PfsGroup != (keGroup ?? KeyExchangeMethod.None))
            return [new NotifyPayload(NotifyType.NoProposalChosen)];

        // §2.9: TSi is the exchange initiator's side (the peer), TSr ours; both narrowed to local policy.
        var (localAllowed, peerAllowed) = AllowedSelectors(sa, cc, rekeyed);
        var initiatorSide = TrafficSelector.Narrow(tsi, peerAllowed);
        var responderSide = TrafficSelector.Narrow(tsr, localAllowed);
        if (initiatorSide.Count == 0 || responderSide.Count == 0)
        {
            m.Debug.Sa(sa.LogName, sa.Serial, "traffic selectors unacceptable");
            return [new NotifyPayload(NotifyType.TsUnacceptable)];
        }
        var inbound = SpiGenerator.NewEspSpi();
        var outbound = which.EspSpi;
        var keymat = Keymat(sa, chosen, pfsShared, ni, nr);
        var child = Install(m, sa, cc, chosen, inbound, outbound, responderSide, initiatorSide, keymat, exchangeInitiator: false);
        if (child is null)
            return [new NotifyPayload(NotifyType.NoProposalChosen)];
        created = child;
        return
        [
            new SaPayload([ProposalSelector.EchoEsp(which.Number, chosen, inbound)]),
            new TsPayload(PayloadType.TrafficSelectorInitiator, initiatorSide),
            new TsPayload(PayloadType.TrafficSelectorResponder, responderSide),
        ];
    }

    /// <summary>
    /// Local policy for the selectors: a rekey keeps the old CHILD_SA's; the gateway (original responder)
    /// allows its split networks (or the phase 2 selector) and the peer's virtual IP; a client allows what it has.
    /// With a mode-cfg pool the peer's side is its leased address and nothing else, rekey or not (issue 10).
    /// </summary>
    private static (List<TrafficSelector> Local, List<TrafficSelector> Peer) AllowedSelectors(IkeSa sa, ChildConfig cc, ChildSa? rekeyed)
    {
        List<TrafficSelector>? leased = IkeConfig.AddressRequired(sa) && sa.VirtualIp is { } lease ? [TrafficSelector.FromPrefix(lease, 32)] : null;
        if (rekeyed is not null)
            return ([.. rekeyed.LocalTs], leased ?? [.. rekeyed.RemoteTs]);
        if (leased is not null)
            return (LocalNetworks(sa, cc), leased);
        var any = new List<TrafficSelector> { TrafficSelector.Any() };
        if (sa.IsInitiator)
            return (sa.VirtualIp is { } own ? [TrafficSelector.FromPrefix(own, 32)] : any, any);
        return (LocalNetworks(sa, cc), sa.VirtualIp is { } vip ? [TrafficSelector.FromPrefix(vip, 32)] : any);
    }

    private static List<TrafficSelector> LocalNetworks(IkeSa sa, ChildConfig cc)
    {
        var localNets = sa.Config.SplitInclude.Count > 0 ? sa.Config.SplitInclude : cc.LocalTs;
        return [.. localNets.Select(n => TrafficSelector.FromPrefix(n.NetworkAddress, n.PrefixLength))];
    }

    /// <summary>
    /// Initiator: reads the responder's SA/TS and installs. Null (with a reason) when the answer is unusable.
    /// <paramref name="offeredLocal"/> / <paramref name="offeredRemote"/> are the TSi / TSr we sent.
    /// </summary>
    public static ChildSa? Complete(IkeTaskContext m, IkeSa sa, ChildConfig cc, IkeMessage response, uint ourSpi, KeyExchangeMethod pfs,
        byte[] ni, byte[] nr, ReadOnlySpan<byte> pfsShared, IReadOnlyList<TrafficSelector> offeredLocal,
        IReadOnlyList<TrafficSelector> offeredRemote, out string? failure)
    {
        failure = null;
        if (response.FindErrorNotify() is { } err)
        {
            failure = err.NotifyType.IanaName();
            return null;
        }
        var saPayload = response.Find<SaPayload>();
        var tsi = response.FindAll<TsPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorInitiator);
        var tsr = response.FindAll<TsPayload>().FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorResponder);
        if (saPayload is null || tsi is null || tsr is null || !ProposalSelector.TryReadEspAnswer(saPayload, cc.Proposals, pfs, out var chosen, out var peerSpi))
        {
            failure = "invalid CHILD_SA answer";
            return null;
        }
        // §2.9: the responder may only narrow what we offered; with a pool the peer's side stays its lease
        // (a client answering the gateway's rekey cannot widen its own inner source).
        var local = TrafficSelector.Narrow(tsi.Selectors, offeredLocal);
        var remote = TrafficSelector.Narrow(tsr.Selectors, offeredRemote);
        if (IkeConfig.AddressRequired(sa))
            remote = sa.VirtualIp is { } vip ? TrafficSelector.Narrow(remote, [TrafficSelector.FromPrefix(vip, 32)]) : [];
        if (local.Count == 0 || remote.Count == 0)
        {
            failure = "traffic selectors outside what was offered";
            return null;
        }
        var keymat = Keymat(sa, chosen, pfsShared, ni, nr);
        var child = Install(m, sa, cc, chosen, ourSpi, peerSpi, local, remote, keymat, exchangeInitiator: true);
        if (child is null)
            failure = "installation refused";
        return child;
    }

    /// <summary>§2.17: KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) with the nonces of the exchange that makes the CHILD_SA.</summary>
    private static ChildSaKeys Keymat(IkeSa sa, EspProposal chosen, ReadOnlySpan<byte> pfsShared, byte[] ni, byte[] nr) =>
        sa.Keys!.Keys.DeriveChildSaKeys(chosen.Suite, ni, nr, pfsShared);

    private static ChildSa? Install(IkeTaskContext m, IkeSa sa, ChildConfig cc, EspProposal chosen, uint inbound, uint outbound,
        IReadOnlyList<TrafficSelector> local, IReadOnlyList<TrafficSelector> remote, ChildSaKeys keymat, bool exchangeInitiator)
    {
        static EspKeys Copy(ChildSaDirectionKeys k) => new(k.EncryptionKeyWithSalt.ToArray(), k.IntegrityKey.ToArray());
        var fromInitiator = Copy(keymat.InitiatorToResponder);
        var fromResponder = Copy(keymat.ResponderToInitiator);
        keymat.Dispose();
        var natT = sa.NatLocal || sa.NatRemote || sa.Local.Port == m.Options.NatTPort;
        var installation = new ChildSaInstallation
        {
            Instance = sa.LogName,
            ChildName = cc.Name,
            LocalEndpoint = sa.Local,
            PeerEndpoint = sa.Remote,
            UdpEncapsulation = natT,
            InboundSpi = inbound,
            OutboundSpi = outbound,
            Encryption = chosen.Suite.Encryption,
            EncryptionKeyBits = chosen.Suite.KeyBits,
            Integrity = chosen.Suite.IsAead ? IntegrityAlgorithm.None : chosen.Suite.Integrity,
            ExtendedSequenceNumbers = chosen.Esn,
            // §2.17: "initiator" is the initiator of the exchange that made this CHILD_SA.
            InboundKeys = exchangeInitiator ? fromResponder : fromInitiator,
            OutboundKeys = exchangeInitiator ? fromInitiator : fromResponder,
            ReplayWindow = cc.ReplayWindow,
            VirtualIp = sa.VirtualIp,
            LocalSelectors = [.. local.Select(SelectorRange.From).OfType<SelectorRange>()],
            RemoteSelectors = [.. remote.Select(SelectorRange.From).OfType<SelectorRange>()],
            SoftLifetime = ChildRekey.SoftLifetime(m, cc.Lifetime),
            HardLifetime = cc.Lifetime,
            Initiator = sa.IsInitiator,
        };
        if (!m.Installer.Install(installation))
        {
            fromInitiator.Clear();
            fromResponder.Clear();
            m.Debug.Sa(sa.LogName, sa.Serial, "CHILD_SA installation refused by the data plane");
            return null;
        }
        var child = new ChildSa(cc, chosen, inbound, outbound, local, remote, m.Now) { LastInbound = m.Now, LastOutbound = m.Now, Installation = installation };
        m.IndexChild(inbound, sa);
        sa.Children.Add(child);
        sa.ChildrenCreatedTotal++;
        ChildRekey.Arm(m, sa, child, installation.SoftLifetime);
        m.Debug.Sa(sa.LogName, sa.Serial, $"added IPsec SA: SPIs={inbound:x8}/{outbound:x8} {chosen}");
        return child;
    }
}
