// RFC 5685 §3 and §9.2, the responder's redirect in IKE_SA_INIT: a node that is draining or holds
// `redirect-threshold` IKE SAs answers a request that announced REDIRECT_SUPPORTED (or came with
// REDIRECTED_FROM, which a redirected initiator sends in its place) with only
//   HDR(SPIi, 0), N(REDIRECT, new gateway, Ni)                       <--
// statelessly, like a COOKIE: no SA, nothing kept. Never to a client that did not announce support
// (§3); never back to the node named in REDIRECTED_FROM (§7, loops). A draining node with nowhere
// to send a client refuses it with TEMPORARY_FAILURE; an overloaded one serves it.
// Redirect during IKE_AUTH (§6) and of established SAs (§5) are not implemented.
using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal static class IkeInitRedirect
{
    /// <summary>What to do with an IKE_SA_INIT request that passed the stateless checks.</summary>
    public enum Decision
    {
        /// <summary>Not draining, under the threshold (or cannot redirect while over it): set the SA up here.</summary>
        Serve,
        Redirect,
        /// <summary>Draining, and this client cannot be redirected anywhere.</summary>
        Refuse,
    }

    /// <summary>The stateless answer to send instead of setting an SA up (N(REDIRECT) or N(TEMPORARY_FAILURE)), or null to serve.</summary>
    public static NotifyPayload? Answer(IkeTaskContext m, IkePeerConfig config, IkeMessage request, byte[] nonceI, IPAddress local, IPEndPoint remote)
    {
        var draining = m.Redirect.Draining;
        // Most requests stop here: one volatile read and one field.
        if (!draining && config.RedirectThreshold <= 0)
            return null;
        switch (Decide(config, request, local, draining, m.IkeSaCount, out var target, out var why))
        {
            case Decision.Redirect:
                m.Debug.Sa(config.Name, 0, $"redirecting peer {remote} to {target} ({why})");
                m.Redirect.CountRedirected();
                return RedirectData.Redirect(target!, nonceI);
            case Decision.Refuse:
                m.Debug.Sa(config.Name, 0, $"draining and {why}: refusing {remote} with TEMPORARY_FAILURE");
                m.Redirect.CountRefused();
                return new NotifyPayload(NotifyType.TemporaryFailure);
            default:
                return null;
        }
    }

    /// <summary>The decision alone (no answer, no count): <paramref name="why"/> says what led to it.</summary>
    public static Decision Decide(IkePeerConfig config, IkeMessage request, IPAddress local, bool draining, int ikeSaCount,
        out RedirectGateway? target, out string why)
    {
        target = null;
        var overloaded = !draining && config.RedirectThreshold > 0 && ikeSaCount >= config.RedirectThreshold;
        if (!draining && !overloaded)
        {
            why = "under the threshold";
            return Decision.Serve;
        }
        var cause = draining ? "draining" : $"{config.RedirectThreshold} IKE SAs or more";
        if (!AcceptsRedirect(request, out var from))
        {
            why = "the peer did not send REDIRECT_SUPPORTED";
            return draining ? Decision.Refuse : Decision.Serve;
        }
        target = config.RedirectTargets?.Pick(local, from);
        if (target is null)
        {
            why = config.RedirectTargets is null ? "no redirect-gateway is configured"
                : from is null ? "no redirect-gateway but this node" : $"no redirect-gateway but this node and {from}, where the peer came from";
            return draining ? Decision.Refuse : Decision.Serve;
        }
        why = cause;
        return Decision.Redirect;
    }

    /// <summary>
    /// §3: REDIRECT_SUPPORTED, or a REDIRECTED_FROM naming the gateway the initiator was sent away from (it
    /// replaces REDIRECT_SUPPORTED in the redirected request). A REDIRECTED_FROM that does not parse counts as neither.
    /// </summary>
    private static bool AcceptsRedirect(IkeMessage request, out IPAddress? redirectedFrom)
    {
        redirectedFrom = null;
        if (request.FindNotify(NotifyType.RedirectedFrom) is { } from)
        {
            if (!RedirectData.TryParse(from.Data, out var data, out _) || data!.Gateway.Address is null)
                return false;
            redirectedFrom = data.Gateway.Address;
            return true;
        }
        return request.HasNotify(NotifyType.RedirectSupported);
    }
}
