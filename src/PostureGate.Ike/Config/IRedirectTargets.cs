// Where an RFC 5685 redirect sends a client: the gateway a phase1 names in its REDIRECT (§9.2).
// A static list (StaticRedirectTargets) or the cluster registry's least-loaded node (the gateway's
// ClusterRedirectTargets). §7 (redirect loops): never the node the client was redirected from.
using System.Net;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Config;

public interface IRedirectTargets
{
    /// <summary>
    /// The gateway to send a client to that reached this node at <paramref name="local"/>, or null when there
    /// is none: never <paramref name="local"/> itself, never <paramref name="redirectedFrom"/> (its REDIRECTED_FROM).
    /// </summary>
    RedirectGateway? Pick(IPAddress local, IPAddress? redirectedFrom);

    /// <summary>What `diagnose` prints about the targets.</summary>
    string Describe();
}
