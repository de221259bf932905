// RFC 7296 §1.3.2 / §2.18 IKE SA rekey (charon's ike_rekey): CREATE_CHILD_SA with an IKE
// proposal carrying the new SPI, a nonce and a KE. The new SA takes over the CHILD_SAs, the
// instance name and the lease; the initiator of the rekey then deletes the old SA. The
// initiator of the rekey becomes the original initiator of the new SA (§2.18).
//   req  SA(IKE, SPIi'), Ni, KEi   -->   rsp  SA(IKE, SPIr'), Nr, KEr
using System.Buffers.Binary;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tasks;

internal static class IkeRekey
{
    public static void Arm(IkeTaskContext m, IkeSa sa)
    {
        sa.RekeyTimer?.Dispose();
        sa.RekeyTimer = m.Time.CreateTimer(_ =>
        {
            lock (sa.Gate)
                if (sa.State == IkeSaState.Established && sa.RekeyedTo is null)
                    Start(m, sa);
        }, null, ChildRekey.SoftLifetime(m, sa.Config.IkeLifetime), Timeout.InfiniteTimeSpan);
    }

    public static void Start(IkeTaskContext m, IkeSa sa)
    {
        var newSpi = SpiGenerator.NewIkeSpi();
        m.Debug.Sa(sa.LogName, sa.Serial, "rekeying IKE SA");
        m.Outbound.Request(sa, new Rekey(m, newSpi, sa.Proposal));
    }

    /// <summary>CREATE_CHILD_SA { SA(IKE, SPIi'), Ni, KEi }; the answer makes the new SA and deletes the old one.</summary>
    private sealed class Rekey(IkeTaskContext m, ulong newSpi, IkeProposal proposal) : IIkeTask
    {
        private byte[] _ni = [];
        private KeyExchange? _dh;

        public ExchangeType Exchange => ExchangeType.CreateChildSa;
        public string Name => "ike_rekey";

        public IReadOnlyList<IkePayload>? Build(IkeSa s)
        {
            if (s.State != IkeSaState.Established)
                return null;
            s.BeginRekey();
            _ni = m.Random(32);
            _dh = KeyExchange.Create(proposal.Group);
            var spi = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(spi, newSpi);
            return
            [
                new SaPayload([Proposal.ForIke(1, proposal.Suite, proposal.Group, spi)]),
                new NoncePayload(_ni),
                new KePayload(proposal.Group, _dh.PublicValue.ToArray()),
            ];
        }

        public void Process(IkeSa s, IkeMessage? response)
        {
            var dh = _dh;
            var ni = _ni;
            using var _ = dh;
            // Destroyed, or the peer's colliding rekey already replaced this SA (§2.25.2).
            if (response is null || s.State == IkeSaState.Destroyed || s.RekeyedTo is not null)
                return;
            var saPayload = response.Find<SaPayload>();
            var nr = response.Find<NoncePayload>();
            var ke = response.Find<KePayload>();
            if (response.FindErrorNotify() is { } err || saPayload is not { Proposals.Count: 1 } || nr is null || ke is null
                || saPayload.Proposals[0].IkeSpi == 0 || !dh!.TryComputeSharedSecret(ke.Data, out var shared))
            {
                // TEMPORARY_FAILURE on a collision, or a refusal: keep the old SA and try again later.
                m.Debug.Sa(s.LogName, s.Serial, "IKE SA rekey failed, retrying later");
                s.RekeyAbandoned();
                s.RekeyTimer?.Change(TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
                return;
            }
            Transfer(m, s, initiator: true, newSpi, saPayload.Proposals[0].IkeSpi, proposal, shared, ni, nr.Data);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
            IkeDelete.Start(m, s, "rekeyed");
        }
    }

    public static ResponderAnswer Respond(IkeTaskContext m, IkeSa sa, IkeMessage request)
    {
        // Collision (§2.25.2): the original initiator yields, so exactly one new SA survives.
        if (sa.IsInitiator && (sa.State == IkeSaState.Rekeying || sa.Tasks.Active?.Exchange == ExchangeType.CreateChildSa))
        {
            return new ResponderAnswer([new NotifyPayload(NotifyType.TemporaryFailure)]);
        }
        if (request.Find<SaPayload>() is not { } saPayload || request.Find<NoncePayload>() is not { } nonce)
        {
            return new ResponderAnswer([new NotifyPayload(NotifyType.InvalidSyntax)]);
        }
        if (!ProposalSelector.TrySelectIke(sa.Config.IkeProposals(), saPayload.Proposals, out var chosen, out var which) || which!.IkeSpi == 0)
        {
            return new ResponderAnswer([new NotifyPayload(NotifyType.NoProposalChosen)]);
        }
        var ke = request.Find<KePayload>();
        if (ke is null || ke.Group != chosen.Group)
        {
            var data = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)chosen.Group);
            return new ResponderAnswer([new NotifyPayload(NotifyType.InvalidKePayload, data)]);
        }
        using var dh = KeyExchange.Create(chosen.Group);
        if (!dh.TryComputeSharedSecret(ke.Data, out var shared))
        {
            return new ResponderAnswer([new NotifyPayload(NotifyType.InvalidSyntax)]);
        }
        var ni = nonce.Data;
        var nr = m.Random(32);
        var newSpi = SpiGenerator.NewIkeSpi();
        var spi = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(spi, newSpi);
        IkePayload[] response =
        [
            new SaPayload([Proposal.ForIke(which.Number, chosen.Suite, chosen.Group, spi)]),
            new NoncePayload(nr),
            new KePayload(chosen.Group, dh.PublicValue.ToArray()),
        ];
        // The new SA comes after the answer went out, from the old SA's keys (SK_d) before anything else touches them.
        return new ResponderAnswer(response, () =>
        {
            Transfer(m, sa, initiator: false, which.IkeSpi, newSpi, chosen, shared, ni, nr);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
            // The peer deletes the old SA next; until then it only answers.
            sa.BeginRekey();
            sa.RekeyTimer?.Dispose();
            sa.DpdTimer?.Dispose();
        });
    }

    /// <summary>§2.18: the new SA with SKEYSEED = prf(SK_d old, g^ir new | Ni | Nr), taking over the old one's state.</summary>
    private static IkeSa Transfer(IkeTaskContext m, IkeSa old, bool initiator, ulong spiI, ulong spiR, IkeProposal proposal,
        byte[] shared, byte[] ni, byte[] nr)
    {
        var keys = IkeKeyMaterial.DeriveRekey(proposal, old.Keys!, shared, ni, nr, spiI, spiR);
        var fresh = IkeSa.Rekeyed(old, m.NextSerial(), initiator, spiI, spiR, proposal, ni, nr, keys, m.Now);
        lock (fresh.Gate)
        {
            fresh.Children.AddRange(old.Children);
            foreach (var c in old.Children)
                m.IndexChild(c.InboundSpi, fresh);
            old.Children.Clear();
            old.RekeyedInto(fresh);
            m.Register(fresh);
            m.OnEstablished(fresh, rekeyed: true);
        }
        m.Debug.Sa(fresh.LogName, fresh.Serial, $"IKE SA rekeyed: {old.SpiI:x16}/{old.SpiR:x16} -> {spiI:x16}/{spiR:x16}");
        return fresh;
    }
}
