// FortiOS `remote-gw-match {any | ipmask | iprange | geography}`: which peer addresses may use
// a phase 1 at all. Checked when IKE_AUTH arrives ("re-validate gw ID" / "gw validation OK"),
// before any authentication work.
using System.Net;

namespace PostureGate.Ike.Sa;

public interface IGatewayMatchHook
{
    /// <summary>False refuses the peer with AUTHENTICATION_FAILED; <paramref name="reason"/> goes to the debug log.</summary>
    bool Validate(string peerConfigName, IPEndPoint peer, out string? reason);
}

public sealed class MatchAnyGatewayHook : IGatewayMatchHook
{
    public static MatchAnyGatewayHook Instance { get; } = new();

    public bool Validate(string peerConfigName, IPEndPoint peer, out string? reason)
    {
        reason = null;
        return true;
    }
}
