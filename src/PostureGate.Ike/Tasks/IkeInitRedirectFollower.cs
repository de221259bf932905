// RFC 5685 on the initiator: announcing support and following an N(REDIRECT) that answers
// IKE_SA_INIT. The REDIRECT travels in clear, so it is followed only when
//   - its Nonce Data is our Ni (§9.2): only whoever saw our request can send it; anything else is
//     ignored and the same gateway asked again (a bounded number of times), so a forged one neither
//     moves us nor ends the setup;
//   - it names an address of our family (an FQDN would need a lookup we do not make here);
//   - fewer than MaxRedirects came before (§7, loops: strongSwan allows 5 as well).
// The request to the new gateway carries N(REDIRECTED_FROM) naming the one that sent us (§3, §9.3),
// a fresh Ni and no cookie; the SPIi and key share stay.
using System.Net;
using System.Security.Cryptography;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tasks;

internal sealed class IkeInitRedirectFollower(IkeTaskContext m, Action<string>? notice)
{
    public const int MaxRedirects = 5;
    /// <summary>Forged REDIRECTs (nonce not ours) ignored before the setup is given up.</summary>
    public const int MaxForged = 5;

    private IPAddress? _redirectedFrom;
    private int _redirects;
    private int _forged;

    /// <summary>What the request announces: REDIRECT_SUPPORTED, or REDIRECTED_FROM once redirected (it replaces it).</summary>
    public NotifyPayload Announcement() =>
        _redirectedFrom is null ? new NotifyPayload(NotifyType.RedirectSupported) : RedirectData.RedirectedFrom(_redirectedFrom);

    /// <summary>Prepares the SA for the next IKE_SA_INIT (to the new gateway, or the same one after a forgery); null, or why the setup ends.</summary>
    public string? Follow(IkeSa sa, NotifyPayload redirect)
    {
        var from = sa.Remote.Address;
        if (!RedirectData.TryParse(redirect.Data, out var data, out var reason))
            return Forged(sa, $"malformed REDIRECT ({reason})");
        if (!CryptographicOperations.FixedTimeEquals(data!.Nonce, sa.NonceI))
            return Forged(sa, $"REDIRECT to {data.Gateway} whose nonce is not our Ni");
        if (data.Gateway.Address is not { } to)
            return $"{from} redirected us to {data.Gateway}: this client follows redirects to addresses only";
        if (to.AddressFamily != sa.Local.Address.AddressFamily)
            return $"{from} redirected us to {to}, which this client cannot reach from {sa.Local.Address}";
        if (to.Equals(from))
            return $"{from} redirected us to itself";
        if (++_redirects > MaxRedirects)
            return $"more than {MaxRedirects} redirects (the last from {from} to {to}): a redirect loop";
        m.Debug.Sa(sa.LogName, sa.Serial, $"redirected from {from} to {to}");
        notice?.Invoke($"{from} redirected us to {to} (RFC 5685)");
        _redirectedFrom = from;
        sa.RedirectedTo(new IPEndPoint(to, sa.Remote.Port));
        return null;
    }

    // §9.2/§11: not from the gateway we asked (or not readable): ignore it, ask the same gateway again.
    private string? Forged(IkeSa sa, string what)
    {
        m.Debug.Sa(sa.LogName, sa.Serial, $"ignored a {what} from {sa.Remote}: asking again");
        notice?.Invoke($"ignored a {what} from {sa.Remote} (forged?); asking it again");
        return ++_forged > MaxForged ? $"gave up after {MaxForged} forged or malformed REDIRECT answers from {sa.Remote}" : null;
    }
}
