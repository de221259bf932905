// RFC 7296 §1.3.3 / §2.8 CHILD_SA rekey, initiator side (charon's child_rekey): a new CHILD_SA
// is created with N(REKEY_SA) naming the old one; when it is installed, the old one is deleted
// with an INFORMATIONAL Delete. Timers follow strongSwan: rekey a margin before the lifetime
// ends, minus random jitter, so both ends rarely start at the same moment.
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tasks;

internal static class ChildRekey
{
    /// <summary>When to rekey: 90 % of the lifetime minus up to the configured jitter.</summary>
    public static TimeSpan SoftLifetime(IkeTaskContext m, TimeSpan lifetime)
    {
        var jitter = m.Options.RekeyJitter > 0 ? System.Security.Cryptography.RandomNumberGenerator.GetInt32(1000) / 1000.0 * m.Options.RekeyJitter : 0;
        return lifetime * (0.9 - jitter);
    }

    public static void Arm(IkeTaskContext m, IkeSa sa, ChildSa child, TimeSpan soft)
    {
        child.RekeyTimer = m.Time.CreateTimer(_ =>
        {
            lock (sa.Gate)
                if (sa.State == IkeSaState.Established && sa.Children.Contains(child) && child.State == ChildSaState.Installed)
                    Start(m, sa, child);
        }, null, soft, Timeout.InfiniteTimeSpan);
        child.ExpireTimer = m.Time.CreateTimer(_ =>
        {
            lock (sa.Gate)
                if (sa.State != IkeSaState.Destroyed && sa.Children.Contains(child))
                    ChildDelete.Start(m, sa, child, "hard lifetime expired", removeNow: true);
        }, null, child.Config.Lifetime, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts the rekey exchange (queued behind any outstanding request).</summary>
    public static void Start(IkeTaskContext m, IkeSa sa, ChildSa old)
    {
        old.State = ChildSaState.Rekeying;
        var ourSpi = SpiGenerator.NewEspSpi();
        var pfs = old.Config.PfsGroups.Count > 0 ? old.Config.PfsGroups[0] : KeyExchangeMethod.None;
        m.Debug.Sa(sa.LogName, sa.Serial, $"rekeying IPsec SA {old}");
        m.Outbound.Request(sa, new Rekey(m, old, ourSpi, pfs));
    }

    /// <summary>CREATE_CHILD_SA { N(REKEY_SA), SA, Ni, [KEi], TSi, TSr }; the answer installs the new SA and deletes the old.</summary>
    private sealed class Rekey(IkeTaskContext m, ChildSa old, uint ourSpi, KeyExchangeMethod pfs) : IIkeTask
    {
        private byte[] _ni = [];
        private KeyExchange? _dh;

        public ExchangeType Exchange => ExchangeType.CreateChildSa;
        public string Name => "child_rekey";

        public IReadOnlyList<IkePayload>? Build(IkeSa s)
        {
            if (!s.Children.Contains(old) || old.State != ChildSaState.Rekeying)
                return null;
            _ni = m.Random(32);
            var payloads = new List<IkePayload>
            {
                NotifyPayload.ForEspSpi(NotifyType.RekeySa, old.InboundSpi),
                new SaPayload(ProposalSelector.BuildEspOffer([old.Proposal.Suite], pfs, ourSpi)),
                new NoncePayload(_ni),
            };
            if (pfs != KeyExchangeMethod.None)
            {
                _dh = KeyExchange.Create(pfs);
                payloads.Add(new KePayload(pfs, _dh.PublicValue.ToArray()));
            }
            payloads.Add(new TsPayload(PayloadType.TrafficSelectorInitiator, old.LocalTs));
            payloads.Add(new TsPayload(PayloadType.TrafficSelectorResponder, old.RemoteTs));
            return payloads;
        }

        public void Process(IkeSa s, IkeMessage? response)
        {
            using var _ = _dh;
            var dh = _dh;
            var ni = _ni;
            if (response is null || s.State == IkeSaState.Destroyed)
                return;
            byte[] shared = [];
            if (dh is not null && (response.Find<KePayload>() is not { } ker || !dh.TryComputeSharedSecret(ker.Data, out shared)))
            {
                old.State = ChildSaState.Installed;
                return;
            }
            var nr = response.Find<NoncePayload>()?.Data ?? [];
            var child = nr.Length == 0 ? null : ChildCreate.Complete(m, s, old.Config, response, ourSpi, pfs, ni, nr, shared,
                old.LocalTs, old.RemoteTs, out var failure);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
            if (child is null)
            {
                // TEMPORARY_FAILURE (collision) or a refusal: the old SA stays; a peer's rekey may replace it.
                m.Debug.Sa(s.LogName, s.Serial, $"IPsec SA rekey of {old} failed: {response.FindErrorNotify()?.NotifyType.IanaName() ?? "invalid answer"}");
                if (old.State == ChildSaState.Rekeying)
                {
                    old.State = ChildSaState.Installed;
                    old.RekeyTimer?.Change(TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
                }
                return;
            }
            m.RaiseChildInstalled(s, child, rekey: true);
            ChildDelete.Start(m, s, old, "rekeyed");
        }
    }
}
