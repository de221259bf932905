// Maps the FortiOS configuration model onto the IKE layer's settings records:
// one IkePeerConfig per `vpn ipsec phase1-interface` of type dynamic, with its
// `phase2-interface` entries as ChildConfigs. The IKE layer never sees the
// configuration language; this file is the whole translation.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PostureGate.Config.Model;
using PostureGate.Ike.Auth;
using PostureGate.Ike.Config;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Net;
using PostureGate.Liveness;

namespace PostureGate.Gateway.Composition;

public static class IkeSettingsBuilder
{
    /// <param name="revocations">Consulted for every peer certificate (the EMS connectors' revoked device certificates).</param>
    /// <param name="sharedPools">With a cluster: the pool of a phase1 shared by every node (by phase1 name); null: in memory.</param>
    /// <param name="clusterTargets">With a cluster: where a phase1 without `redirect-gateway` redirects (the registry's nodes).</param>
    public static IReadOnlyList<IkePeerConfig> Build(GatewayConfig config, IRevocationCheck? revocations = null,
        Func<string, IReadOnlyList<Ipv4Range>, IAddressPool>? sharedPools = null, IRedirectTargets? clusterTargets = null) =>
        config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic && p.IkeVersion == 2).Select(p => Build(config, p, revocations, sharedPools, clusterTargets)).ToArray();

    public static IkePeerConfig Build(GatewayConfig config, Phase1Interface p1, IRevocationCheck? revocations = null,
        Func<string, IReadOnlyList<Ipv4Range>, IAddressPool>? sharedPools = null, IRedirectTargets? clusterTargets = null)
    {
        var group = p1.AuthUserGroup;
        var certificates = p1.AuthMethod == Phase1AuthMethod.Signature
            ? p1.Certificates.Select(c => Credential(config, c)).ToArray()
            : [];
        return new IkePeerConfig
        {
            Name = p1.Name,
            LocalAddress = p1.Interface.HasAddress ? p1.Interface.Ip.Address : null,
            Proposals = p1.Proposals.ToArray(),
            DhGroups = p1.DhGroups.ToArray(),
            Psk = p1.PskSecret is { } psk ? psk.Utf8.ToArray() : [],
            // Without localid a signing gateway names itself as the certificate it sends does (the
            // one the peer's CERTREQ chose, RFC 7296 §3.7), the name native clients check (RFC 4945 §3.1).
            LocalId = p1.LocalId is { Length: > 0 } lid ? IkeIdentity.FromString(lid) : null,
            LocalCertificates = certificates,
            PeerCertificates = p1.PeerAuthenticatesWithCertificate && p1.Peer is { } peer ? PeerPolicy(peer, revocations) : null,
            PeerId = p1.PeerId is { Length: > 0 } pid ? IkeIdentity.FromString(pid) : null,
            EapEnabled = p1.Eap,
            EapTls = p1.Eap && p1.EapMethod == EapMethod.Tls,
            EapIdentityRequest = p1.EapIdentity == EapIdentity.SendRequest,
            EapPasswordLookup = group is null ? static _ => null : user => PasswordOf(group, user),
            AddressPool = p1.ModeCfg && p1.TryGetIpv4Pool(out var start, out var end)
                ? sharedPools?.Invoke(p1.Name, [new Ipv4Range(start, end)]) ?? new AddressPool(new Ipv4Range(start, end))
                : null,
            // FortiOS sends the netmask it is configured with; /32 is what a dial-up client expects.
            Netmask = p1.ModeCfg ? p1.Ipv4Netmask : null,
            DnsServers = DnsServers(config, p1),
            SplitInclude = p1.Ipv4SplitInclude is { } split ? Subnets(split) : [],
            DpdMode = p1.Dpd,
            DpdRetryInterval = p1.DpdRetryInterval,
            DpdRetryCount = p1.DpdRetryCount,
            IkeLifetime = p1.KeyLifetime,
            Fragmentation = p1.Fragmentation,
            FragmentMtu = p1.FragmentationMtu,
            NatTraversal = p1.NatTraversal != NatTraversal.Disable,
            Children = config.Phase2Of(p1).Select(p2 => Child(p1, p2)).ToArray(),
            // RFC 5685: the configuration refused anything but addresses and host names. A configured
            // list wins over the cluster's nodes (an operator's choice, e.g. gateways outside the cluster).
            RedirectTargets = p1.RedirectGateways.Count == 0 ? clusterTargets
                : new StaticRedirectTargets(p1.RedirectGateways.Select(g => RedirectGateway.TryParse(g, out var r, out _) ? r! : throw new InvalidOperationException(g))),
            RedirectThreshold = p1.RedirectThreshold,
        };
    }

    /// <summary>
    /// A `vpn certificate local` with the `vpn certificate ca` entries it chains to, found by the
    /// platform's path building (X509Chain, nothing fetched): the CAs a peer's CERTREQ may name (RFC 7296 §3.7).
    /// </summary>
    private static LocalCertificateCredential Credential(GatewayConfig config, LocalCertificate local)
    {
        var certificate = local.OpenWithPrivateKey();
        var cas = config.CaCertificates.Select(c => c.OpenCertificate()).ToArray();
        try
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            // Only which CA issued it matters here; validity is the peer's to judge.
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllFlags;
            chain.ChainPolicy.CustomTrustStore.AddRange(cas.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)).ToArray());
            chain.ChainPolicy.ExtraStore.AddRange(cas);
            chain.Build(certificate);
            // Only configured CAs count (never one the platform found in its own stores).
            var above = chain.ChainElements.Skip(1)
                .Select(e => cas.FirstOrDefault(c => c.RawData.AsSpan().SequenceEqual(e.Certificate.RawData)))
                .OfType<X509Certificate2>().ToArray();
            foreach (var element in chain.ChainElements.Skip(1))
                element.Certificate.Dispose();
            return new LocalCertificateCredential(certificate, anchors: above);
        }
        finally
        {
            foreach (var ca in cas)
                ca.Dispose();
        }
    }

    /// <summary>`config user peer`: its CA is the only anchor; subject and CN as FortiOS compares them.</summary>
    private static PeerCertificatePolicy PeerPolicy(UserPeer peer, IRevocationCheck? revocations) => new()
    {
        TrustedAuthorities = [peer.Ca.OpenCertificate()],
        Revocations = revocations is null ? [] : [revocations],
        RequiredSubject = peer.Subject,
        RequiredCommonName = peer.Cn,
        CommonNameIgnoresCase = peer.CnType is PeerCnType.Email or PeerCnType.Fqdn,
    };

    private static string? PasswordOf(UserGroup group, string user)
    {
        var u = group.FindMember(user);
        return u is { Enabled: true, Type: LocalUserType.Password, Password: { } pw } ? Encoding.UTF8.GetString(pw.Utf8) : null;
    }

    private static IReadOnlyList<IPAddress> DnsServers(GatewayConfig config, Phase1Interface p1)
    {
        if (!p1.ModeCfg)
            return [];
        IEnumerable<IPAddress> servers = p1.DnsMode == DnsMode.Auto ? config.Dns.Servers : p1.Ipv4DnsServers;
        return servers.Where(a => !a.Equals(IPAddress.Any)).ToArray();
    }

    private static ChildConfig Child(Phase1Interface p1, Phase2Interface p2) => new()
    {
        Name = p2.Name,
        Proposals = p2.Proposals.ToArray(),
        PfsGroups = p2.Pfs ? p2.DhGroups.ToArray() : [],
        Lifetime = p2.KeyLifetime,
        ReplayWindow = p2.Replay ? 1024 : 0,
        LocalTs = p2.Source.Type == SelectorType.Subnet && p2.Source.Subnet.PrefixLength == 0 && p1.Ipv4SplitInclude is { } split
            ? Subnets(split)
            : Selector(p2.Source),
    };

    private static IReadOnlyList<Ipv4Subnet> Selector(Phase2Selector s) => s.Type switch
    {
        SelectorType.Subnet => [new Ipv4Subnet(Ipv4.ToUInt32(s.Subnet.Network), s.Subnet.PrefixLength)],
        SelectorType.Ip when s.StartIp is { } ip => [new Ipv4Subnet(Ipv4.ToUInt32(ip), 32)],
        SelectorType.Range when s.StartIp is { } a && s.EndIp is { } b => [.. Ipv4Subnet.Cover(a, b)],
        SelectorType.Name when s.Name is { } n => Subnets(n),
        _ => [Ipv4Subnet.Any],
    };

    /// <summary>The prefixes covering an address object's ranges (a range becomes its minimal prefix cover).</summary>
    public static IReadOnlyList<Ipv4Subnet> Subnets(AddressObject address) =>
        address.Ranges().SelectMany(r => Ipv4Subnet.Cover(r.Start, r.End)).ToArray();
}
