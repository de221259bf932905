// RFC 7296 §1.2 IKE_SA_INIT (charon's ike_init task), both roles:
//   HDR, SAi1, KEi, Ni, [N(NAT_DETECTION_*)], [N(FRAG_SUP)], [N(HASH_ALG)]  -->
//                                  <--  HDR, SAr1, KEr, Nr, [N(NAT_DETECTION_*)], [N(FRAG_SUP)], [N(HASH_ALG)]
// Responder: proposal choice in configured order (§2.7), INVALID_KE_PAYLOAD naming the group
// chosen (§1.2), stateless COOKIE above the half-open threshold (§2.6), NAT detection (§2.23),
// RFC 5685 redirect when draining or loaded (IkeInitRedirect).
// Errors before an SA exists are answered statelessly and create nothing.
using System.Buffers.Binary;
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tasks;

internal static class IkeInit
{
    /// <summary>RFC 7427 §4: SHA2-256, SHA2-384, SHA2-512 as strongSwan announces them.</summary>
    private static readonly byte[] HashAlgorithms = [0, 2, 0, 3, 0, 4];

    public static void ResponderReceive(IkeTaskContext m, IkeHeader header, ReadOnlyMemory<byte> bytes, IPEndPoint local, IPEndPoint remote, int interfaceIndex = 0)
    {
        // §2.1: a retransmitted IKE_SA_INIT gets the same response; a different one with the same SPIi is dropped.
        if (m.TryFindHalfOpen(header.InitiatorSpi, remote, out var existing))
        {
            lock (existing!.Gate)
            {
                if (existing.State != IkeSaState.Destroyed && existing.InitRequest.AsSpan().SequenceEqual(bytes.Span))
                    m.Outbound.Send(existing, existing.InitResponse);
                else
                    m.CountDrop("IKE_SA_INIT with a known SPIi");
            }
            return;
        }
        if (!IkeMessage.TryParse(bytes, out var request, out var error))
        {
            m.CountDrop(error.Reason ?? "malformed IKE_SA_INIT");
            return;
        }
        var config = m.Peers.FirstOrDefault(p => p.LocalAddress is null || p.LocalAddress.Equals(local.Address));
        if (config is null)
        {
            m.CountDrop("no phase1 for " + local.Address);
            return;
        }
        // ExchangeRules requires all three in a request; checked again here so a rule change cannot crash us.
        if (request!.Find<NoncePayload>() is not { } nonce || request.Find<KePayload>() is not { } ke
            || request.Find<SaPayload>() is not { } saPayload)
        {
            m.CountDrop("IKE_SA_INIT request without SA, KE or Nonce");
            return;
        }
        m.Debug.Sa(config.Name, 0, $"responder received SA_INIT msg from {remote}");

        // §2.6: under load, only initiators that can echo a cookie get state.
        if (m.HalfOpenCount >= config.CookieThreshold)
        {
            var cookie = request.FindNotify(NotifyType.Cookie);
            if (cookie is null || !m.Cookies.Verify(cookie.Data, nonce.Data, remote.Address, header.InitiatorSpi))
            {
                m.Debug.Sa(config.Name, 0, "half-open threshold reached, sending COOKIE");
                SendStateless(m, header, local, remote, new NotifyPayload(NotifyType.Cookie, m.Cookies.Create(nonce.Data, remote.Address, header.InitiatorSpi)));
                return;
            }
        }
        if (!ProposalSelector.TrySelectIke(config.IkeProposals(), saPayload.Proposals, out var chosen, out var which))
        {
            m.Debug.Sa(config.Name, 0, "no SA proposal chosen");
            SendStateless(m, header, local, remote, new NotifyPayload(NotifyType.NoProposalChosen));
            return;
        }
        m.Debug.Sa(config.Name, 0, $"matched proposal id {which!.Number} {chosen}");
        // RFC 5685: a draining or loaded node sends the client elsewhere before any key exchange (IkeInitRedirect).
        if (IkeInitRedirect.Answer(m, config, request, nonce.Data, local.Address, remote) is { } redirect)
        {
            SendStateless(m, header, local, remote, redirect);
            return;
        }
        if (ke.Group != chosen.Group)
        {
            // §1.2: name the group we want; the initiator retries with it.
            var data = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)chosen.Group);
            m.Debug.Sa(config.Name, 0, $"KE group {(ushort)ke.Group} not chosen, sending INVALID_KE_PAYLOAD {(ushort)chosen.Group}");
            SendStateless(m, header, local, remote, new NotifyPayload(NotifyType.InvalidKePayload, data));
            return;
        }
        var dh = KeyExchange.Create(chosen.Group);
        if (!dh.TryComputeSharedSecret(ke.Data, out var shared))
        {
            dh.Dispose();
            m.CountDrop("invalid KE public value");
            SendStateless(m, header, local, remote, new NotifyPayload(NotifyType.InvalidSyntax));
            return;
        }
        var sa = new IkeSa(m.NextSerial(), config, initiator: false, header.InitiatorSpi, SpiGenerator.NewIkeSpi(), local, remote, m.Now, chosen);
        m.Debug.Connection(config.Name, sa.SpiR, interfaceIndex, local.Address, remote);
        lock (sa.Gate)
        {
            var task = new Responder(m, which, chosen, dh, shared, remote);
            sa.RecordInitRequest(bytes.ToArray());
            m.Outbound.Answer(sa, task, request, IkeReceiver.HashRequest(bytes.Span));
        }
    }

    /// <summary>
    /// The responder's half once the request passed every stateless check: the SA exists, this task makes
    /// its keys (§2.14) and NAT state and answers SAr1, KEr, Nr and the notifies the request asked for.
    /// </summary>
    private sealed class Responder(IkeTaskContext m, Proposal which, IkeProposal chosen, KeyExchange dh, byte[] shared, IPEndPoint remote)
        : ResponderTask
    {
        public override ExchangeType Exchange => ExchangeType.IkeSaInit;
        public override string Name => "ike_init";

        protected override ResponderAnswer? Answer(IkeSa sa, IkeMessage request)
        {
            var config = sa.Config;
            var nonceI = request.Find<NoncePayload>()!.Data;
            var nonceR = m.Random(32);
            // The request's NAT-D hashes were computed with SPIr = 0 (it was not known yet).
            if (config.NatTraversal && IkeNatd.Check(request, sa.SpiI, 0, sa.Local, sa.Remote, out var peerNat, out var weNat))
            {
                sa.NatDetected(peerNat, weNat);
                if (peerNat || weNat)
                    m.Debug.Sa(config.Name, sa.Serial, $"NAT detected: {(weNat ? "ME" : "")}{(weNat && peerNat ? " " : "")}{(peerNat ? "PEER" : "")}");
            }
            var payloads = new List<IkePayload>
            {
                new SaPayload([ProposalSelector.EchoIke(which.Number, chosen)]),
                new KePayload(chosen.Group, dh.PublicValue.ToArray()),
                new NoncePayload(nonceR),
            };
            var peerFragmentation = request.HasNotify(NotifyType.Ikev2FragmentationSupported);
            if (config.NatTraversal && request.HasNotify(NotifyType.NatDetectionSourceIp))
                payloads.AddRange(IkeNatd.Build(sa.SpiI, sa.SpiR, sa.Local, sa.Remote, fakeSource: false));
            if (config.Fragmentation && peerFragmentation)
                payloads.Add(new NotifyPayload(NotifyType.Ikev2FragmentationSupported));
            // §3.7: asking for the peer's certificate names the CAs we trust (strongSwan sends its certificate only when asked).
            if (config.PeerCertificates is { } peerCerts)
                payloads.Add(Auth.CertificateAuthorityKeyHash.Request(peerCerts.TrustedAuthorities));
            if (request.FindNotify(NotifyType.SignatureHashAlgorithms) is { } hashes)
            {
                payloads.Add(new NotifyPayload(NotifyType.SignatureHashAlgorithms, HashAlgorithms));
                sa.PeerSignatureHashes = SignatureHashAlgorithms.TryParse(hashes.Data, out var list) ? list : [];
            }
            // RFC 4739 §3: the responder announces MULTIPLE_AUTH_SUPPORTED here (the initiator does in its first
            // IKE_AUTH request) — only where a second round (device certificate, then EAP) is configured.
            if (config.PeerCertificates is not null && config.EapEnabled)
                payloads.Add(new NotifyPayload(NotifyType.MultipleAuthSupported));
            var keys = IkeKeyMaterial.Derive(chosen, shared, nonceI, nonceR, sa.SpiI, sa.SpiR);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
            dh.Dispose();
            sa.InitNegotiated(chosen, sa.SpiR, nonceI, nonceR, keys, peerFragmentation);
            // In the table before the response leaves: the peer's IKE_AUTH can come right after it.
            m.AddHalfOpen(sa, remote);
            return new ResponderAnswer(payloads);
        }
    }

    private static void SendStateless(IkeTaskContext m, IkeHeader request, IPEndPoint local, IPEndPoint remote, NotifyPayload notify)
    {
        var bytes = new IkeMessage(new IkeHeader(request.InitiatorSpi, 0, PayloadType.NoNextPayload, ExchangeType.IkeSaInit,
            IkeHeaderFlags.Response, 0, 0), [notify]).Encode();
        m.Sender.Send(bytes, local, remote);
    }

    // ---- initiator ----

    /// <summary>Builds the IKE_SA_INIT request for an initiating SA (group = sa.Proposal.Group, the one we guess).</summary>
    public static List<IkePayload> BuildRequest(IkeTaskContext m, IkeSa sa, bool forceEncap)
    {
        // §2.6: a COOKIE retry repeats the other payloads unchanged (the cookie covers Ni); an
        // INVALID_KE_PAYLOAD retry needs a key pair for the new group.
        sa.PrepareInit(sa.KeyExchange?.Method == sa.Proposal.Group ? sa.KeyExchange : KeyExchange.Create(sa.Proposal.Group),
            sa.NonceI.Length == 0 ? m.Random(32) : sa.NonceI);
        var payloads = new List<IkePayload>();
        if (sa.Cookie is not null)
            payloads.Add(new NotifyPayload(NotifyType.Cookie, sa.Cookie)); // §2.6: the cookie comes first
        payloads.Add(new SaPayload(ProposalSelector.BuildIkeOffer(sa.Config.IkeProposals())));
        payloads.Add(new KePayload(sa.Proposal.Group, sa.KeyExchange!.PublicValue.ToArray()));
        payloads.Add(new NoncePayload(sa.NonceI));
        if (sa.Config.NatTraversal)
            payloads.AddRange(IkeNatd.Build(sa.SpiI, 0, sa.Local, sa.Remote, forceEncap));
        if (sa.Config.Fragmentation)
            payloads.Add(new NotifyPayload(NotifyType.Ikev2FragmentationSupported));
        payloads.Add(new NotifyPayload(NotifyType.SignatureHashAlgorithms, HashAlgorithms));
        return payloads;
    }

    public enum InitOutcome
    {
        Done,
        Retry,
        Failed,
    }

    /// <summary>Processes the IKE_SA_INIT response: COOKIE / INVALID_KE retries, else keys and NAT state.</summary>
    public static InitOutcome ProcessResponse(IkeTaskContext m, IkeSa sa, IkeMessage response, out string? failure)
    {
        failure = null;
        if (response.FindNotify(NotifyType.Cookie) is { } cookie)
        {
            sa.CookieRequested(cookie.Data);
            return InitOutcome.Retry;
        }
        if (response.FindNotify(NotifyType.InvalidKePayload) is { Data.Length: 2 } invalidKe)
        {
            var group = (KeyExchangeMethod)BinaryPrimitives.ReadUInt16BigEndian(invalidKe.Data);
            if (!sa.Config.DhGroups.Contains(group) || group == sa.Proposal.Group)
            {
                failure = $"peer asked for unacceptable group {(ushort)group}";
                return InitOutcome.Failed;
            }
            m.Debug.Sa(sa.LogName, sa.Serial, $"peer requested key exchange group {(ushort)group}, retrying");
            sa.KeyExchangeGroupRequested(group);
            return InitOutcome.Retry;
        }
        if (response.FindErrorNotify() is { } err)
        {
            failure = $"IKE_SA_INIT refused: {err.NotifyType.IanaName()}";
            return InitOutcome.Failed;
        }
        if (response.FindNotify(NotifyType.SignatureHashAlgorithms) is { } hashes)
            sa.PeerSignatureHashes = SignatureHashAlgorithms.TryParse(hashes.Data, out var list) ? list : [];
        sa.MultipleAuth = response.HasNotify(NotifyType.MultipleAuthSupported);
        var saPayload = response.Find<SaPayload>();
        var ke = response.Find<KePayload>();
        var nonce = response.Find<NoncePayload>();
        if (saPayload is null || ke is null || nonce is null
            || !ProposalSelector.TryReadIkeAnswer(saPayload, sa.Config.IkeProposals(), out var chosen)
            || chosen.Group != sa.Proposal.Group || ke.Group != chosen.Group)
        {
            failure = "invalid IKE_SA_INIT response";
            return InitOutcome.Failed;
        }
        if (!sa.KeyExchange!.TryComputeSharedSecret(ke.Data, out var shared))
        {
            failure = "invalid KE public value from the responder";
            return InitOutcome.Failed;
        }
        var spiR = response.Header.ResponderSpi;
        var keys = IkeKeyMaterial.Derive(chosen, shared, sa.NonceI, nonce.Data, sa.SpiI, spiR);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
        sa.InitNegotiated(chosen, spiR, sa.NonceI, nonce.Data, keys, response.HasNotify(NotifyType.Ikev2FragmentationSupported));
        sa.RecordInitResponse(response.RawBytes.ToArray());
        if (sa.Config.NatTraversal && IkeNatd.Check(response, sa.SpiI, sa.SpiR, sa.Local, sa.Remote, out var peerNat, out var weNat))
            sa.NatDetected(peerNat, weNat);
        return InitOutcome.Done;
    }
}
