// The manager's operator- and gateway-facing API: snapshot for `diagnose vpn ike gateway
// list`, clear, delete (continuous posture enforcement), explicit rekeys and informational
// notifies, and the data plane's callbacks (IChildSaEvents).
using System.Collections.Concurrent;
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Diagnostics;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Sa;

public sealed partial class IkeSaManager
{
    private readonly ConcurrentDictionary<uint, IkeSa> _childIndex = new();

    internal void IndexChild(uint inboundSpi, IkeSa sa) => _childIndex[inboundSpi] = sa;

    private IEnumerable<IkeSa> Live => AllSas.Where(IsLive);

    private static bool IsLive(IkeSa s) => s.State != IkeSaState.Destroyed && s.RekeyedTo is null;

    private IEnumerable<IkeSa> Named(string? name) => name is null ? Live : _names.ByLogNameOrPhase1(name).Where(IsLive);

    // One dial-up instance (`dialup_0`), not every SA of its phase1.
    private IkeSa? Instance(string instance) => _names.ByLogName(instance).FirstOrDefault(IsLive);

    /// <summary>
    /// `diagnose vpn ike keys`: Wireshark's table records of every live IKE SA that has keys and of
    /// its CHILD_SAs, read under each SA's lock (null: a transform Wireshark cannot decrypt).
    /// </summary>
    public (IReadOnlyList<string?> Ike, IReadOnlyList<string?> Esp) WiresharkRecords()
    {
        var ike = new List<string?>();
        var esp = new List<string?>();
        foreach (var sa in Live)
        {
            lock (sa.Gate)
            {
                if (sa.State == IkeSaState.Destroyed || sa.Keys is not { } keys)
                    continue;
                ike.Add(WiresharkKeyFormat.IkeRecord(sa.SpiI, sa.SpiR, keys.Keys));
                foreach (var child in sa.Children)
                {
                    if (child.Installation is not { } installed)
                        continue;
                    var (inbound, outbound) = WiresharkKeyFormat.EspRecords(installed);
                    esp.Add(inbound);
                    esp.Add(outbound);
                }
            }
        }
        return (ike, esp);
    }

    /// <summary>Immutable records for `diagnose vpn ike gateway list` (established and negotiating SAs).</summary>
    public IReadOnlyList<IkeSaSnapshot> Snapshot(string? name = null)
    {
        var list = new List<IkeSaSnapshot>();
        foreach (var sa in Named(name))
        {
            lock (sa.Gate)
            {
                if (sa.State == IkeSaState.Destroyed)
                    continue;
                list.Add(IkeSaSnapshots.Of(sa, Options.InterfaceOf?.Invoke(sa.Config.Name) ?? ""));
            }
        }
        return list;
    }

    /// <summary>
    /// Starts an IKE SA as initiator (`pgate client`, tests). Completes when the SA is established (with its
    /// CHILD_SA, or a child error) or failed; the SA then lives on in this manager (DPD answers, rekeys, Delete).
    /// </summary>
    public Task<IkeInitiateResult> InitiateAsync(IkeInitiatorOptions options) => new IkeInitiator(TaskContext, options).Run();

    /// <summary>`diagnose vpn ike gateway clear [name]`: sends Delete for each matching SA and forgets it.</summary>
    public int Clear(string? name = null)
    {
        var n = 0;
        foreach (var sa in Named(name).ToList())
        {
            lock (sa.Gate)
            {
                if (sa.State == IkeSaState.Destroyed)
                    continue;
                SendDeleteOnce(sa);
                Destroy(sa, "cleared by operator");
                n++;
            }
        }
        return n;
    }

    /// <summary>Best-effort Delete without waiting (clear, shutdown): one datagram, no retransmission.</summary>
    private void SendDeleteOnce(IkeSa sa)
    {
        if (sa.Keys is null || sa.Established is null)
            return;
        var header = new IkeHeader(sa.SpiI, sa.SpiR, PayloadType.NoNextPayload, ExchangeType.Informational,
            sa.IsInitiator ? IkeHeaderFlags.Initiator : IkeHeaderFlags.None, sa.NextRequestId, 0);
        foreach (var d in IkeWire.Encode(sa, header, [DeletePayload.ForIkeSa()]))
            Outbound.Send(sa, d);
    }

    /// <summary>Deletes an instance with a proper INFORMATIONAL exchange; true when the peer answered.</summary>
    public Task<bool> DeleteAsync(string instance, string reason)
    {
        var sa = Instance(instance);
        if (sa is null)
            return Task.FromResult(false);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (sa.Gate)
            IkeDelete.Start(TaskContext, sa, reason, done);
        return done.Task;
    }

    /// <summary>
    /// The instances whose peer authenticated with a certificate that <paramref name="revocation"/> now calls
    /// revoked (pushed revocations: their live tunnels go too, issue 10 "Mutual TLS").
    /// </summary>
    public IReadOnlyList<(string Instance, string Phase1, string Serial)> InstancesWithRevokedCertificates(Auth.IRevocationCheck revocation)
    {
        var list = new List<(string, string, string)>();
        foreach (var sa in Live)
        {
            lock (sa.Gate)
            {
                if (sa.State != IkeSaState.Destroyed && sa.Instance is { } instance
                    && sa.PeerCertificate is { } cert && sa.PeerCertificateIssuer is { } issuer && revocation.IsRevoked(cert, issuer))
                    list.Add((instance, sa.Config.Name, cert.SerialNumber));
            }
        }
        return list;
    }

    /// <summary>Rekeys every CHILD_SA of an instance now (operator or tests; timers do it otherwise).</summary>
    public bool RekeyChildSas(string instance) => WhenEstablished(instance, sa =>
    {
        foreach (var c in sa.Children.Where(c => c.State == ChildSaState.Installed).ToList())
            ChildRekey.Start(TaskContext, sa, c);
    });

    /// <summary>Rekeys the IKE SA of an instance now (§1.3.2).</summary>
    public bool RekeyIkeSa(string instance) => WhenEstablished(instance, sa => IkeRekey.Start(TaskContext, sa));

    /// <summary>Starts <paramref name="start"/> under the gate of an established instance; false when there is none.</summary>
    private bool WhenEstablished(string instance, Action<IkeSa> start)
    {
        var sa = Instance(instance);
        if (sa is null)
            return false;
        lock (sa.Gate)
        {
            if (sa.State != IkeSaState.Established)
                return false;
            start(sa);
        }
        return true;
    }

    /// <summary>Sends an INFORMATIONAL request with status notifies (e.g. private-use token updates); true when answered.</summary>
    public Task<bool> SendInformationalAsync(string instance, IReadOnlyList<NotifyToSend> notifies)
    {
        var sa = Instance(instance);
        if (sa is null)
            return Task.FromResult(false);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (sa.Gate)
        {
            Outbound.Request(sa, ExchangeType.Informational, "informational",
                _ => [.. notifies.Select(n => new NotifyPayload((NotifyType)n.Type, n.Data))],
                (_, response) => done.TrySetResult(response is not null));
        }
        return done.Task;
    }

    /// <summary>Sends a liveness check now (tests, `diagnose vpn ike` style probes).</summary>
    public bool SendDpd(string instance)
    {
        var sa = Instance(instance);
        if (sa is null)
            return false;
        lock (sa.Gate)
            IkeDpd.Start(TaskContext, sa);
        return true;
    }

    /// <summary>
    /// RFC 7296 §2.4 INITIAL_CONTACT: the peer lost its state, so its older established SAs go (no Delete sent).
    /// Each deletion is logged (info) with the SA that replaced it.
    /// </summary>
    internal void DeleteOlderDuplicates(IkeSa sa)
    {
        var reason = $"replaced by {sa.LogName}[{sa.Serial}] after INITIAL_CONTACT "
            + (sa.EapIdentity is not null ? "(same EAP user and IDi)" : "(same IDi from the same address)");
        foreach (var other in Live.Where(o => o != sa && IsOlderDuplicate(sa, o)).ToList())
        {
            // The caller holds sa.Gate: never wait for a second SA's lock here (two peers doing this at once
            // would deadlock); if it is busy, finish on a timer thread.
            if (other.Gate.TryEnter())
            {
                try
                {
                    DestroyDuplicate(sa, other, reason);
                }
                finally
                {
                    other.Gate.Exit();
                }
                continue;
            }
            ITimer? later = null;
            later = Time.CreateTimer(_ =>
            {
                lock (other.Gate)
                    DestroyDuplicate(sa, other, reason);
                later?.Dispose();
            }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// §2.4 speaks of SAs between the same *authenticated* identities. Only established SAs count — one still in
    /// EAP is a parallel login, not a stale one. With EAP the key is what was proven: the EAP user, plus the IDi
    /// (bound to that user by the MSK-keyed AUTH) so one user's second device is not knocked off. A group PSK
    /// proves no one in particular: there the IDi must also come from the same address (docs/security.md).
    /// </summary>
    private static bool IsOlderDuplicate(IkeSa sa, IkeSa other) =>
        other.State is IkeSaState.Established or IkeSaState.Rekeying && other.Established is not null
        && other.Config.Name == sa.Config.Name
        && other.PeerIdentity is not null && sa.PeerIdentity is not null && other.PeerIdentity.Matches(sa.PeerIdentity)
        && (sa.EapIdentity is not null
            ? string.Equals(other.EapIdentity, sa.EapIdentity, StringComparison.Ordinal)
            : other.EapIdentity is null && other.Remote.Address.Equals(sa.Remote.Address));

    private void DestroyDuplicate(IkeSa sa, IkeSa other, string reason)
    {
        // Checked again: a deferred deletion runs later, when the SA may have changed.
        if (other.State == IkeSaState.Destroyed || !IsOlderDuplicate(sa, other))
            return;
        Debug.Sa(other.LogName, other.Serial, "INITIAL_CONTACT from the same peer, deleting old SA");
        Destroy(other, reason);
    }

    /// <summary>The data plane's channel into the control plane.</summary>
    public IChildSaEvents ChildSaEvents => new ChildSaEventsAdapter(this);

    /// <summary>The SA and CHILD_SA the data plane names by our inbound SPI.</summary>
    internal bool TryFindChild(uint inboundSpi, out IkeSa sa, out ChildSa? child)
    {
        child = null;
        if (!_childIndex.TryGetValue(inboundSpi, out sa!))
            return false;
        child = sa.Children.FirstOrDefault(c => c.InboundSpi == inboundSpi);
        return child is not null;
    }
}
