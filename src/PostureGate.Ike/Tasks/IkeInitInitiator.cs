// RFC 7296 §1.2 IKE_SA_INIT, initiator side (charon's ike_init build_i/process_i): the request
// from IkeInit.BuildRequest; a COOKIE (§2.6) or INVALID_KE_PAYLOAD (§1.2) answer retries with
// Message ID 0; after a NAT, or with forced encapsulation, IKE moves to port 4500 (§2.23).
// RFC 5685 (with FollowRedirects): N(REDIRECT_SUPPORTED) in the request, or N(REDIRECTED_FROM)
// once redirected (§3); an N(REDIRECT) answer is followed through IkeInitRedirectFollower.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal sealed class IkeInitInitiator(IkeTaskContext m, bool forceEncapsulation, Action<IkeSa, IkeInitiateResult> fail,
    bool followRedirects = false, Action<string>? redirectNotice = null) : IIkeTask
{
    private readonly IkeInitRedirectFollower? _redirects = followRedirects ? new IkeInitRedirectFollower(m, redirectNotice) : null;

    public ExchangeType Exchange => ExchangeType.IkeSaInit;
    public string Name => "ike_init";
    public bool NeedsMore { get; private set; }

    public IReadOnlyList<IkePayload>? Build(IkeSa sa)
    {
        NeedsMore = false;
        var payloads = IkeInit.BuildRequest(m, sa, forceEncapsulation);
        if (_redirects is not null)
            payloads.Add(_redirects.Announcement());
        return payloads;
    }

    public void Process(IkeSa sa, IkeMessage? response)
    {
        if (response is null)
        {
            fail(sa, IkeInitiateResult.Failed("IKE_SA_INIT timed out"));
            return;
        }
        if (response.FindNotify(NotifyType.Redirect) is { } redirect)
        {
            if (_redirects is null)
            {
                // §3: a gateway must not redirect a client that did not offer to follow.
                fail(sa, IkeInitiateResult.Failed($"{sa.Remote.Address} answered with REDIRECT, which this client did not offer to follow"));
                return;
            }
            if (_redirects.Follow(sa, redirect) is { } failure)
            {
                fail(sa, IkeInitiateResult.Failed(failure));
                return;
            }
            sa.NextRequestId = 0; // a new IKE_SA_INIT: to the new gateway, or again to this one after a forged redirect
            NeedsMore = true;
            return;
        }
        switch (IkeInit.ProcessResponse(m, sa, response, out var failed))
        {
            case IkeInit.InitOutcome.Retry:
                sa.NextRequestId = 0; // §2.6 / §1.2: the retry is a new IKE_SA_INIT with Message ID 0
                NeedsMore = true;
                return;
            case IkeInit.InitOutcome.Failed:
                fail(sa, IkeInitiateResult.Failed(failed!));
                return;
        }
        // §2.23: after a NAT (or with forced encapsulation) IKE continues on port 4500.
        if ((sa.NatLocal || sa.NatRemote || forceEncapsulation) && sa.Remote.Port != m.Options.NatTPort)
        {
            sa.Local = new IPEndPoint(sa.Local.Address, m.Options.NatTPort);
            sa.Remote = new IPEndPoint(sa.Remote.Address, m.Options.NatTPort);
        }
        sa.BeginAuthentication();
    }
}
