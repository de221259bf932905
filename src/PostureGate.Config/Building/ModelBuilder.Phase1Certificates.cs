// Phase 1 certificate rules: `authmethod signature` with `certificate` (FortiOS 7.4
// CLI reference, phase1-interface: up to 4 local certificates), `peertype peer` with
// `peer` (a `config user peer`), `eap-cert-auth` (a certificate round before EAP,
// RFC 4739), and PostureGate's own ztna-uid-proof / ztna-token-binding.
using PostureGate.Admission;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;
using S = PostureGate.Config.Schema.Phase1Schema;

namespace PostureGate.Config.Building;

internal sealed partial class ModelBuilder
{
    private const int MaxPhase1Certificates = 4;

    private ValueList<LocalCertificate> BuildPhase1Certificates(BoundEntry e, Phase1AuthMethod authMethod, ref bool ok)
    {
        var signature = authMethod == Phase1AuthMethod.Signature;
        if (signature)
            Require(e, S.Certificate, " with 'authmethod signature' (the vpn certificate local the gateway signs with)", ref ok);
        OnlyWith(e, S.Certificate, signature, "'authmethod signature'", ref ok);
        var names = List<string>(e, S.Certificate);
        if (!signature || names.Count == 0)
            return ValueList<LocalCertificate>.Empty;
        if (names.Count > MaxPhase1Certificates)
            Fail(e.SpanOfValue(S.Certificate, MaxPhase1Certificates), $"'certificate' takes at most {MaxPhase1Certificates} names, as FortiOS does", ref ok);
        var certs = new List<LocalCertificate>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            if (Resolve(_locals, VpnCertificateLocalSchema.Table, names[i], e.SpanOfValue(S.Certificate, i), "local certificate", ref ok) is { } c)
                certs.Add(c);
        }
        return new ValueList<LocalCertificate>(certs);
    }

    private UserPeer? BuildPhase1Peer(BoundEntry e, Phase1AuthMethod authMethod, ref bool ok)
    {
        var signature = authMethod == Phase1AuthMethod.Signature;
        var eap = Bool(e, S.Eap);
        OnlyWith(e, S.EapCertAuth, signature && eap, "'authmethod signature' and 'eap enable'", ref ok);
        var eapTls = eap && Enum<EapMethod>(e, S.EapMethod) == EapMethod.Tls;
        OnlyWith(e, S.EapMethod, eap, "'eap enable'", ref ok);
        if (eapTls && !signature)
            Fail(e.SpanOfValue(S.EapMethod), "'eap-method tls' needs 'authmethod signature': the gateway's certificate is its TLS server certificate", ref ok);
        if (eapTls && Bool(e, S.EapCertAuth))
            Fail(e.SpanOfValue(S.EapCertAuth), "'eap-cert-auth enable' with 'eap-method tls' would prove the device certificate twice: EAP-TLS already does", ref ok);
        var peerCertificate = signature && (!eap || Bool(e, S.EapCertAuth) || eapTls);
        const string when = "a peer certificate ('authmethod signature' without EAP, with 'eap-cert-auth enable' or with 'eap-method tls')";
        OnlyWith(e, S.Peer, peerCertificate, when, ref ok);
        foreach (var a in (ReadOnlySpan<AttributeSchema>)[S.ZtnaUidProof, S.ZtnaTokenBinding])
        {
            OnlyWith(e, a, Enum<RemoteGwMatchMode>(e, S.RemoteGwMatch) == RemoteGwMatchMode.Ztna, "'remote-gw-match ztna'", ref ok);
            if (Bool(e, a) && !peerCertificate)
                Fail(e.SpanOfValue(a), $"'{a.Name} enable' needs {when}: the proof is the device certificate the peer authenticates with", ref ok);
        }
        if (!peerCertificate)
            return null;
        var peerType = Enum<PeerType>(e, S.PeerType);
        if (peerType is PeerType.Dialup or PeerType.PeerGrp)
            return null; // already refused as not implemented
        if (peerType != PeerType.Peer)
        {
            Fail(e.SpanOfValue(S.PeerType), "a peer that authenticates with a certificate needs 'peertype peer' and 'peer' (which CA and names it must have)", ref ok);
            return null;
        }
        Require(e, S.Peer, " with 'peertype peer' when the peer authenticates with a certificate (a 'config user peer' naming its CA)", ref ok);
        return Str(e, S.Peer) is { } name ? Resolve(_peers, UserPeerSchema.Table, name, e.SpanOfValue(S.Peer), "user peer", ref ok) : null;
    }
}
