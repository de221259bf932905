// What an IKE task may use (charon hands its tasks the ike_sa and the daemon's services, never the
// SA manager): settings, clock and randomness, the message sender, the kernel seam, the hooks, and
// the few table operations an exchange causes (name, establish, destroy). One per manager.
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Diagnostics;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Sa;

internal sealed class IkeTaskContext(IkeSaManager m)
{
    // ---- services ----
    public IkeSaManagerOptions Options => m.Options;
    public IkeDebugLog Debug => m.Debug;
    public IkeMessageSender Outbound => m.Outbound;
    public IChildSaInstaller Installer => m.Installer;
    public TimeProvider Time => m.Time;
    public DateTimeOffset Now => m.Now;
    public byte[] Random(int n) => m.Random(n);
    public long NextSerial() => m.NextSerial();
    public void CountDrop(string why) => m.CountDrop(why);
    public Eap.LoginThrottle? LoginThrottle => m.LoginThrottle;

    // ---- IKE_SA_INIT (before an SA exists) ----
    public IReadOnlyList<IkePeerConfig> Peers => m.Peers;
    public CookieGenerator Cookies => m.Cookies;
    public int HalfOpenCount => m.HalfOpenCount;
    public IIkeSender Sender => m.Sender;
    public bool TryFindHalfOpen(ulong spiI, System.Net.IPEndPoint remote, out IkeSa? sa) => m.TryFindHalfOpen(spiI, remote, out sa);
    public void AddHalfOpen(IkeSa sa, System.Net.IPEndPoint remote) => m.AddHalfOpen(sa, remote);
    public RedirectControl Redirect => m.Redirect;
    public int IkeSaCount => m.TableCount;

    // ---- the SA's life in the table ----
    public string AcquireInstance(IkeSa sa) => m.AcquireInstance(sa);
    public void NameInstance(IkeSa sa, string instance) => m.NameInstance(sa, instance);
    public void Register(IkeSa sa) => m.Register(sa);
    public void OnEstablished(IkeSa sa, bool rekeyed = false) => m.OnEstablished(sa, rekeyed);
    public void Destroy(IkeSa sa, string reason, bool keepChildren = false) => m.Destroy(sa, reason, keepChildren);
    public void DeleteOlderDuplicates(IkeSa sa) => m.DeleteOlderDuplicates(sa);
    public void ReportAuthFailure(IkeSa sa, string reason) => m.ReportAuthFailure(sa, reason);
    public CancellationToken BeginPostAuthentication(IkeSa sa) => m.BeginPostAuthentication(sa);
    public void EndPostAuthentication(IkeSa sa) => IkeSaManager.EndPostAuthentication(sa);

    // ---- CHILD_SAs ----
    public void IndexChild(uint inboundSpi, IkeSa sa) => m.IndexChild(inboundSpi, sa);
    public void RemoveChild(IkeSa sa, ChildSa child, string reason) => m.RemoveChild(sa, child, reason);
    public void RaiseChildInstalled(IkeSa sa, ChildSa child, bool rekey) => m.RaiseChildInstalled(sa, child, rekey);
    public void RaiseInformational(IkeSa sa, IReadOnlyList<ReceivedNotify> notifies) => m.RaiseInformational(sa, notifies);
}
