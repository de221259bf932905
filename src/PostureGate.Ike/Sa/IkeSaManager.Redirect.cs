// The SA table's side of RFC 5685 redirection (Tasks/IkeInitRedirect decides): the node's
// drain switch and counters, and its load as the number of IKE SAs in the table.
namespace PostureGate.Ike.Sa;

public sealed partial class IkeSaManager
{
    /// <summary>Draining and the redirect counters (`pgate gateway drain`, `diagnose vpn ike redirect`).</summary>
    public RedirectControl Redirect { get; } = new();

    /// <summary>The phase1 settings new SAs get (what `diagnose vpn ike redirect` lists the targets of).</summary>
    public IReadOnlyList<Config.IkePeerConfig> PeerConfigs => Peers;

    /// <summary>
    /// IKE SAs in the table, half-open ones included: what `redirect-threshold` compares. Read only while a
    /// phase1 has a threshold or the node drains, not on every IKE_SA_INIT.
    /// </summary>
    internal int TableCount => _byLocalSpi.Count;
}
