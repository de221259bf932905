// The initiator role of the state machine (what strongSwan's charon does as a client, its
// controller's initiate): a new IKE SA with IKE_SA_INIT and IKE_AUTH queued as tasks on its task
// manager, and the one result the caller waits for. RFC 7296 §1.2; the exchanges are
// IkeInitInitiator (COOKIE / INVALID_KE_PAYLOAD retries, NAT-T float) and IkeAuthInitiator (AUTH,
// EAP rounds, CP reply, CHILD_SA).
using PostureGate.Ike.Config;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal sealed class IkeInitiator
{
    private readonly IkeTaskContext _m;
    private readonly IkeInitiatorOptions _o;
    private readonly TaskCompletionSource<IkeInitiateResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IkeSa _sa;

    public IkeInitiator(IkeTaskContext m, IkeInitiatorOptions o)
    {
        _m = m;
        _o = o;
        _sa = new IkeSa(m.NextSerial(), o.Config, initiator: true, SpiGenerator.NewIkeSpi(), 0, o.Local, o.Remote, m.Now,
            new IkeProposal(o.Config.Proposals[0], o.Config.DhGroups[0]));
    }

    /// <summary>Queues IKE_SA_INIT then IKE_AUTH; the first starts at once, the second when the first is done.</summary>
    public Task<IkeInitiateResult> Run()
    {
        lock (_sa.Gate)
        {
            _m.AddHalfOpen(_sa, _o.Remote);
            _m.Outbound.Request(_sa, new IkeInitInitiator(_m, _o.ForceEncapsulation, Finish, _o.FollowRedirects, _o.RedirectNotice));
            _m.Outbound.Request(_sa, new IkeAuthInitiator(_m, _o, Finish));
        }
        return _done.Task;
    }

    /// <summary>The setup's end, either way: a failure before establishment destroys the SA (and drops the queued tasks).</summary>
    private void Finish(IkeSa sa, IkeInitiateResult result)
    {
        if (!result.Success && sa.State != IkeSaState.Destroyed && sa.Established is null)
            _m.Destroy(sa, result.Error ?? "failed");
        _done.TrySetResult(result);
    }
}
