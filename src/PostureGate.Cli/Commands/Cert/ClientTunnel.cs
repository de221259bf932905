// What a client profile is made from: the phase1 the client dials (EAP user, gateway
// signing with a certificate) and its first phase2, from a checked configuration.
using PostureGate.Config.Model;

namespace PostureGate.Cli.Commands.Cert;

internal sealed record ClientTunnel(Phase1Interface Phase1, Phase2Interface Phase2)
{
    /// <summary>
    /// The phase1 named <paramref name="name"/>, or the only one with <c>eap enable</c>; why not otherwise.
    /// Native clients authenticate the gateway by certificate and the user by EAP, so the phase1 must
    /// sign (<c>authmethod signature</c>) and run EAP.
    /// </summary>
    public static bool TryFind(GatewayConfig config, string? name, bool deviceCertificateRound, out ClientTunnel? tunnel, out string error)
    {
        tunnel = null;
        Phase1Interface? p1;
        if (name is not null)
        {
            p1 = config.Phase1Interfaces.Find(name);
            if (p1 is null)
            {
                error = $"no phase1-interface '{name}' in {config.FileName}; it has: {string.Join(", ", config.Phase1Interfaces.Select(p => p.Name))}";
                return false;
            }
        }
        else
        {
            var eap = config.Phase1Interfaces.Where(p => p.Eap).ToList();
            if (eap.Count != 1)
            {
                error = eap.Count == 0
                    ? $"{config.FileName} has no phase1-interface with 'eap enable'; native clients log in with EAP"
                    : $"{config.FileName} has several EAP phase1-interfaces ({string.Join(", ", eap.Select(p => p.Name))}): choose one with --tunnel";
                return false;
            }
            p1 = eap[0];
        }
        if (!p1.Eap || p1.AuthMethod != Phase1AuthMethod.Signature)
        {
            error = $"phase1-interface '{p1.Name}' must have 'set authmethod signature' and 'set eap enable': native clients check the gateway's certificate and log the user in with EAP";
            return false;
        }
        if (p1.EapCertAuth && !deviceCertificateRound)
        {
            // Windows and Apple's IKEv2 clients do one authentication round (no RFC 4739).
            error = $"phase1-interface '{p1.Name}' has 'eap-cert-auth enable' (a device certificate, then EAP: two rounds, RFC 4739), which this client does not do; the strongSwan app does (profile sswan)";
            return false;
        }
        if (p1.EapMethod == EapMethod.Tls)
        {
            // The exported profiles log in with EAP-MSCHAPv2; an EAP-TLS profile would also need the device's key.
            error = $"phase1-interface '{p1.Name}' has 'eap-method tls' (EAP-TLS with the device certificate); the profiles use EAP-MSCHAPv2: set the client up by hand as docs/clients.md shows";
            return false;
        }
        var p2 = config.Phase2Of(p1).FirstOrDefault();
        if (p2 is null)
        {
            error = $"phase1-interface '{p1.Name}' has no phase2-interface: a client needs one for its traffic";
            return false;
        }
        tunnel = new ClientTunnel(p1, p2);
        error = "";
        return true;
    }
}
