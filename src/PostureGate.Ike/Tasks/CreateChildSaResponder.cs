// RFC 7296 §1.3 CREATE_CHILD_SA, responder side: dispatches to an IKE SA rekey (§1.3.2: SA with
// protocol IKE), a CHILD_SA rekey (§1.3.3: N(REKEY_SA)) or a new CHILD_SA (§1.3.1).
//   req  SA, Ni, [KEi], [N(REKEY_SA)], TSi, TSr   -->   rsp  SA, Nr, [KEr], TSi, TSr
using System.Buffers.Binary;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tasks;

internal sealed class CreateChildSaResponder(IkeTaskContext m) : ResponderTask
{
    public override ExchangeType Exchange => ExchangeType.CreateChildSa;
    public override string Name => "child_create";

    protected override ResponderAnswer? Answer(IkeSa sa, IkeMessage request)
    {
        // §1.3: SA and Ni are required (ExchangeRules checks too; a missing one must not crash us).
        if (request.Find<SaPayload>() is not { } saPayload || request.Find<NoncePayload>() is not { } nonce)
        {
            return new ResponderAnswer([new NotifyPayload(NotifyType.InvalidSyntax)]);
        }
        var ikeRekey = saPayload.Proposals.Any(p => p.Protocol == ProtocolId.Ike);
        // An IKE rekey collision is resolved in IkeRekey.Respond (the original responder accepts).
        var collidingIkeRekey = ikeRekey && sa.State == IkeSaState.Rekeying && sa.RekeyedTo is null;
        if (sa.State != IkeSaState.Established && !collidingIkeRekey)
        {
            // §2.25: while the SA is being rekeyed or deleted, new CHILD_SAs wait.
            return new ResponderAnswer([new NotifyPayload(NotifyType.TemporaryFailure)]);
        }
        if (ikeRekey)
        {
            return IkeRekey.Respond(m, sa, request);
        }
        ChildSa? old = null;
        if (request.FindNotify(NotifyType.RekeySa) is { } rekey)
        {
            // §3.10.1: REKEY_SA names the SA by the SPI its sender receives on, our outbound SPI.
            var spi = rekey.Spi.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(rekey.Spi) : 0;
            old = sa.Children.FirstOrDefault(c => c.OutboundSpi == spi && c.State != ChildSaState.Deleting);
            if (old is null)
            {
                return new ResponderAnswer([NotifyPayload.ForEspSpi(NotifyType.ChildSaNotFound, spi)]);
            }
            // Rekey collision (§2.8.1): the original initiator yields with TEMPORARY_FAILURE, so exactly one survives.
            if (old.State == ChildSaState.Rekeying && sa.IsInitiator)
            {
                return new ResponderAnswer([new NotifyPayload(NotifyType.TemporaryFailure)]);
            }
        }
        var ni = nonce.Data;
        var nr = m.Random(32);
        var ke = request.Find<KePayload>();
        byte[] shared = [];
        KePayload? ker = null;
        if (ke is not null)
        {
            var wanted = sa.Config.Children.SelectMany(c => c.PfsGroups).Distinct().ToList();
            if (!wanted.Contains(ke.Group))
            {
                if (wanted.Count == 0)
                {
                    return new ResponderAnswer([new NotifyPayload(NotifyType.NoProposalChosen)]);
                }
                var data = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)wanted[0]);
                return new ResponderAnswer([new NotifyPayload(NotifyType.InvalidKePayload, data)]);
            }
            using var dh = KeyExchange.Create(ke.Group);
            if (!dh.TryComputeSharedSecret(ke.Data, out shared))
            {
                return new ResponderAnswer([new NotifyPayload(NotifyType.InvalidSyntax)]);
            }
            ker = new KePayload(ke.Group, dh.PublicValue.ToArray());
        }
        var ts = request.FindAll<TsPayload>().ToList();
        var tsi = ts.FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorInitiator)?.Selectors ?? [];
        var tsr = ts.FirstOrDefault(t => t.Type == PayloadType.TrafficSelectorResponder)?.Selectors ?? [];
        var result = ChildCreate.Respond(m, sa, saPayload, tsi, tsr, ni, nr, shared, inAuth: false, ke?.Group ?? KeyExchangeMethod.None,
            old, out var child, out _);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
        if (child is null)
            return new ResponderAnswer(result);
        // Response order as charon: SA, Nr, [KEr], TSi, TSr.
        var payloads = new List<IkePayload> { result[0], new NoncePayload(nr) };
        if (ker is not null)
            payloads.Add(ker);
        payloads.AddRange(result.Skip(1));
        if (old is not null)
        {
            // The initiator deletes the old CHILD_SA once it has the new one (§1.3.3); keep it until then.
            old.State = ChildSaState.Rekeyed;
            old.RekeyTimer?.Dispose();
            old.RekeyTimer = null;
            m.Debug.Sa(sa.LogName, sa.Serial, $"rekeyed IPsec SA {old} -> {child}");
        }
        return new ResponderAnswer(payloads, () => m.RaiseChildInstalled(sa, child, rekey: old is not null));
    }
}
