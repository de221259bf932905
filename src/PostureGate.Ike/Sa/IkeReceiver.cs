// The IKE receiver (charon's receiver + the message-ID checks of its task manager): one datagram
// in, header and SPI checked, then under the SA's Gate either a request for the responder tasks
// (RFC 7296 §2.3 window 1, §2.1 retransmits answered from the cache) or a response to our
// outstanding request. Everything the peer sends that does not fit is counted and dropped.
using System.Net;
using System.Security.Cryptography;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Sa;

internal sealed class IkeReceiver
{
    private readonly IkeSaManager m;
    private readonly IkeTaskContext _context;
    private readonly Func<ExchangeType, IIkeResponderTask?> _newResponder;

    public IkeReceiver(IkeSaManager manager, IkeTaskContext context)
    {
        m = manager;
        _context = context;
        _newResponder = NewResponder;
    }

    /// <summary>The responder task for a request of <paramref name="exchange"/> (charon queues them per exchange the same way).</summary>
    private IIkeResponderTask? NewResponder(ExchangeType exchange) => exchange switch
    {
        ExchangeType.IkeAuth => new IkeAuth(_context),
        ExchangeType.CreateChildSa => new CreateChildSaResponder(_context),
        ExchangeType.Informational => new Informational(_context),
        _ => null,
    };

    internal void Receive(ReadOnlyMemory<byte> bytes, IPEndPoint local, IPEndPoint remote, int interfaceIndex)
    {
        if (!IkeHeader.TryRead(bytes.Span, out var header))
        {
            m.CountDrop("shorter than the IKE header");
            return;
        }
        if (!header.Verify(bytes.Length, out var headerError))
        {
            m.CountDrop(headerError.Reason);
            return;
        }
        if (header.Exchange == ExchangeType.IkeSaInit && !header.IsResponse)
        {
            if (header.ResponderSpi != 0)
            {
                m.CountDrop("IKE_SA_INIT request with a responder SPI");
                return;
            }
            // A retransmission of a half-open SA's request is still answered (IkeInit); a new one is not.
            if (m.HalfOpenFrom(remote.Address) >= m.Options.HalfOpenPerSource && !m.TryFindHalfOpen(header.InitiatorSpi, remote, out _))
            {
                m.CountDrop($"{remote.Address} holds {m.Options.HalfOpenPerSource} half-open IKE SAs");
                return;
            }
            // The global cap bounds memory whatever the number of sources (§2.6 cookies do not: the flood may see them).
            if (m.HalfOpenCount >= m.Options.HalfOpenLimit && !m.TryFindHalfOpen(header.InitiatorSpi, remote, out _))
            {
                m.CountDrop($"{m.Options.HalfOpenLimit} half-open IKE SAs held (HalfOpenLimit)");
                return;
            }
            IkeInit.ResponderReceive(_context, header, bytes, local, remote, interfaceIndex);
            return;
        }
        // Our SPI is the responder SPI when the sender is the original initiator (I flag set).
        var ourSpi = header.IsInitiator ? header.ResponderSpi : header.InitiatorSpi;
        if (!m.TryGetBySpi(ourSpi, out var sa) || (header.IsInitiator ? sa.SpiI != header.InitiatorSpi : sa.SpiR != header.ResponderSpi && header.Exchange != ExchangeType.IkeSaInit))
        {
            // §2.1: the peer's retransmission of a request a deleted SA answered (its Delete) gets that answer.
            if (!header.IsResponse && m.DeletedResponses.TryAnswer(ourSpi, header.MessageId, bytes.Span, out var datagrams, out var saLocal, out var saRemote))
            {
                foreach (var d in datagrams)
                    m.Sender.Send(d, saLocal, saRemote);
                return;
            }
            // §2.21.4 allows INVALID_IKE_SPI here; an unauthenticated answer only helps scanners.
            m.CountDrop("unknown IKE SPI");
            return;
        }
        lock (sa.Gate)
        {
            if (sa.State == IkeSaState.Destroyed)
                return;
            if (header.IsResponse)
                ReceiveResponse(sa, header, bytes, local, remote);
            else
                ReceiveRequest(sa, header, bytes, local, remote);
        }
    }

    // ---- requests we answer ----

    private void ReceiveRequest(IkeSa sa, IkeHeader header, ReadOnlyMemory<byte> bytes, IPEndPoint local, IPEndPoint remote)
    {
        // §2.1: a retransmission of the last request gets the same response again.
        if (sa.LastResponse is { } cached && header.MessageId == cached.MessageId)
        {
            if (IsRetransmit(bytes.Span, cached.RequestHash))
            {
                foreach (var d in cached.Datagrams)
                    m.Outbound.Send(sa, d);
            }
            else
            {
                m.CountDrop("different request with the last answered message ID");
            }
            return;
        }
        // §2.3: anything but the next expected ID is out of the window; drop.
        if (header.MessageId != sa.ExpectedPeerRequestId || sa.AwaitingHook)
        {
            m.CountDrop($"message ID {header.MessageId} outside window (expected {sa.ExpectedPeerRequestId})");
            return;
        }
        var result = IkeWire.TryDecode(sa, bytes, fromPeerAsInitiator: header.IsInitiator, out var message, out var requestHash, out var error);
        if (result == DecodeResult.Incomplete)
            return;
        if (result == DecodeResult.Error)
        {
            // §2.21.2: integrity failures are dropped silently; before authentication all garbage is.
            if (error.Silent || sa.State is IkeSaState.Connecting)
                m.CountDrop(error.Reason ?? "undecodable request");
            else
                m.Outbound.RespondError(sa, header, bytes.Span, error.Notify, error.NotificationData);
            return;
        }
        UpdatePeerAddress(sa, local, remote);
        sa.LastInbound = m.Now;
        if (sa.Tasks.ResponderFor(header.Exchange, _newResponder) is { } task)
            m.Outbound.Answer(sa, task, message!, requestHash);
        else
            m.Outbound.RespondError(sa, header, bytes.Span, NotifyType.InvalidSyntax, null);
    }

    private static bool IsRetransmit(ReadOnlySpan<byte> request, byte[] cachedHash) =>
        CryptographicOperations.FixedTimeEquals(HashRequest(request), cachedHash);

    /// <summary>
    /// Identifies a request for §2.1 retransmit detection. For fragmented requests (RFC 7383 §2.6.1)
    /// only fragment 1 is kept in the hash by the reassembly, so any copy of it matches.
    /// </summary>
    internal static byte[] HashRequest(ReadOnlySpan<byte> request) => SHA256.HashData(request);

    /// <summary>NAT rebinding (RFC 7296 §2.23): after a NAT, follow the peer's new address and port.</summary>
    private void UpdatePeerAddress(IkeSa sa, IPEndPoint local, IPEndPoint remote)
    {
        if (sa.Remote.Equals(remote) && sa.Local.Equals(local))
            return;
        var natT = local.Port == m.Options.NatTPort;
        if (!sa.NatRemote && !sa.NatLocal && sa.State == IkeSaState.Established)
            return;
        sa.RemoteAddressChanged |= !sa.Remote.Address.Equals(remote.Address);
        sa.RemotePortChanged |= sa.Remote.Port != remote.Port;
        sa.Remote = remote;
        sa.Local = local;
        foreach (var c in sa.Children)
            m.Installer.UpdatePeer(sa.LogName, c.InboundSpi, c.OutboundSpi, remote, natT);
    }

    // ---- responses to our requests ----

    private void ReceiveResponse(IkeSa sa, IkeHeader header, ReadOnlyMemory<byte> bytes, IPEndPoint local, IPEndPoint remote)
    {
        var pending = sa.Tasks.Active;
        if (pending is null || pending.MessageId != header.MessageId || pending.Exchange != header.Exchange)
        {
            m.CountDrop($"unexpected response {header.MessageId}");
            return;
        }
        var result = IkeWire.TryDecode(sa, bytes, fromPeerAsInitiator: header.IsInitiator, out var message, out _, out var error);
        if (result == DecodeResult.Incomplete)
            return;
        if (result == DecodeResult.Error)
        {
            m.CountDrop(error.Reason ?? "undecodable response");
            return;
        }
        sa.LastInbound = m.Now;
        pending.Timer?.Dispose();
        sa.Tasks.Active = null;
        sa.NextRequestId = header.MessageId + 1;
        m.Outbound.Responded(sa, pending.Task, message!);
    }
}
