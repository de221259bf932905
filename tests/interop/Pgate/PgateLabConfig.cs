using System.Globalization;
using System.Text;
using PostureGate.Interop.Tests.Lab;

namespace PostureGate.Interop.Tests.Pgate;

/// <summary>
/// The FortiOS CLI configuration pgate runs with in the gateway namespace: the dial-up tunnel
/// the strongSwan client conns (harness/conf/client.swanctl.conf.in) are written against.
/// Interfaces pgg0/pgg1 are the lab's veths; users alice (right password in the client) and bob
/// (the client's wrong-password conn sends another one). Syntax as in the FortiOS
/// administration guide this project follows (docs seed: phase1-interface, phase2-interface,
/// firewall policy).
/// </summary>
public sealed record PgateLabConfig
{
    public const string TunnelName = "dialup";

    /// <summary>FortiOS phase1 "set proposal" words.</summary>
    public IReadOnlyList<string> Phase1Proposals { get; init; } = ["aes128-sha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256"];

    /// <summary>"set dhgrp": IANA IKEv2 key exchange method numbers.</summary>
    public IReadOnlyList<int> DhGroups { get; init; } = [14, 19, 20, 21, 31];

    /// <summary>FortiOS phase2 "set proposal" words.</summary>
    public IReadOnlyList<string> Phase2Proposals { get; init; } = ["aes128-sha256", "aes256gcm", "chacha20poly1305"];

    /// <summary>"set action" of the vpn-to-lan firewall policy: accept or deny.</summary>
    public string PolicyAction { get; init; } = "accept";

    public string LocalId { get; init; } = "gw.pg.example";

    public string Psk { get; init; } = "lab-psk-not-a-secret";

    public IReadOnlyList<(string Name, string Password)> Users { get; init; } =
        [("alice", "alice-lab-password"), ("bob", "bob-lab-password")];

    public string PoolStart { get; init; } = "192.0.2.200";

    public string PoolEnd { get; init; } = "192.0.2.254";

    /// <summary>The EMS of `config endpoint-control fctems` entry 1 (null: no entry). Its serial
    /// and tenant are configured, but `ems-sn-check` stays off: strongSwan sends no EMSSN.</summary>
    public LabEms? Ems { get; init; }

    /// <summary>"set remote-gw-ztna-tags" with "set remote-gw-match ztna"; empty keeps
    /// remote-gw-match any.</summary>
    public IReadOnlyList<string> ZtnaTags { get; init; } = [];

    /// <summary>Where the connector reaches the EMS, when not at <see cref="Ems"/>'s own address
    /// (a proxy in front of it); null: the EMS's URL.</summary>
    public System.Net.IPEndPoint? EmsVia { get; init; }

    /// <summary>fctems pull-tags: false makes every decision a live lookup (no cached tags).</summary>
    public bool EmsPullTags { get; init; } = true;

    /// <summary>fctems call-timeout in seconds.</summary>
    public int EmsCallTimeout { get; init; } = 5;

    /// <summary>fctems out-of-sync-threshold in seconds; null leaves FortiOS's default (180).</summary>
    public int? EmsOutOfSyncThreshold { get; init; }

    /// <summary>
    /// `authmethod signature` with this `vpn certificate local` (PEM certificate and key) instead of the PSK:
    /// the gateway signs, the user still does EAP (the Windows shape). Null: the PSK.
    /// </summary>
    public (string CertificatePem, string KeyPem)? GatewayCertificate { get; init; }

    /// <summary>
    /// The CA of device certificates (PEM): with it the peer proves its device with a certificate from this CA,
    /// then its user with EAP, in two rounds (`peertype peer`, `peer`, `eap-cert-auth enable`; RFC 4739).
    /// Needs <see cref="GatewayCertificate"/>. Null: EAP only.
    /// </summary>
    public string? DeviceCaPem { get; init; }

    /// <summary>
    /// With <see cref="DeviceCaPem"/>: the peer proves its device certificate inside EAP-TLS instead of in a round of
    /// its own (PostureGate's `eap-method tls`; no user password, so no `authusrgrp`).
    /// </summary>
    public bool EapTls { get; init; }

    /// <summary>"set dpd on-idle" with this "dpd-retryinterval" in seconds (and <see cref="DpdRetryCount"/>);
    /// null leaves FortiOS's default (on-demand, 20 s, 3).</summary>
    public int? DpdOnIdleInterval { get; init; }

    /// <summary>"set dpd-retrycount" with <see cref="DpdOnIdleInterval"/>.</summary>
    public int DpdRetryCount { get; init; } = 3;

    /// <summary>`set ztna-uid-proof enable` (PostureGate's own): only the device certificate's UID counts. Needs
    /// <see cref="ZtnaTags"/> and <see cref="DeviceCaPem"/>.</summary>
    public bool ZtnaUidProof { get; init; }

    /// <summary>`set ztna-token-binding enable` (PostureGate's own): a token counts only when bound (RFC 7800 cnf) to the
    /// certificate proven in this IKE SA. Needs <see cref="ZtnaTags"/> and <see cref="DeviceCaPem"/>.</summary>
    public bool ZtnaTokenBinding { get; init; }

    /// <summary>The gateway's client-side interface and address (the second gateway's: pgb0, 198.51.100.3).</summary>
    public (string Name, string Ip) Wan { get; init; } = ("pgg0", InteropLab.GatewayIp);

    /// <summary>The gateway's LAN-side interface and address (the second gateway's: pgb1, 203.0.113.2).</summary>
    public (string Name, string Ip) Lan { get; init; } = ("pgg1", InteropLab.GatewayLanIp);

    /// <summary>PostureGate's `redirect-gateway` (RFC 5685); empty sets none.</summary>
    public IReadOnlyList<string> RedirectGateways { get; init; } = [];

    /// <summary>PostureGate's `redirect-threshold`; 0 sets none.</summary>
    public int RedirectThreshold { get; init; }

    /// <summary>The second gateway of the redirect lab (lab.sh gw2-up): its own links and the pool the LAN routes to it.</summary>
    public static PgateLabConfig SecondGateway() => new()
    {
        Wan = ("pgb0", InteropLab.SecondGatewayIp),
        Lan = ("pgb1", InteropLab.SecondGatewayLanIp),
        PoolStart = InteropLab.SecondGatewayFirstPoolAddress,
        PoolEnd = "192.0.2.190",
    };

    public override string ToString()
    {
        var t = new StringBuilder();
        void Line(int indent, string text) => t.Append(' ', indent * 4).Append(text).Append('\n');
        void Block(string path, params (string Edit, string[] Sets)[] entries)
        {
            Line(0, $"config {path}");
            foreach (var (edit, sets) in entries)
            {
                Line(1, $"edit {edit}");
                foreach (var s in sets)
                {
                    Line(2, $"set {s}");
                }
                Line(1, "next");
            }
            Line(0, "end");
        }

        if (Ems is { } ems)
        {
            Block("endpoint-control fctems", ("1",
            [
                "status enable",
                "name \"lab-ems\"",
                $"server \"{EmsVia?.Address.ToString() ?? ems.Host}\"",
                $"https-port {(EmsVia?.Port ?? ems.Port).ToString(CultureInfo.InvariantCulture)}",
                $"serial-number \"{ems.SerialNumber}\"",
                $"tenant-id \"{ems.TenantId}\"",
                $"certificate-fingerprint \"{ems.CertificateFingerprint}\"",
                $"api-key \"{ems.GatewayApiKey}\"",
                $"call-timeout {EmsCallTimeout.ToString(CultureInfo.InvariantCulture)}",
                .. EmsPullTags ? Array.Empty<string>() : ["pull-tags disable"],
                .. EmsOutOfSyncThreshold is { } oos ? [$"out-of-sync-threshold {oos.ToString(CultureInfo.InvariantCulture)}"] : Array.Empty<string>(),
            ]));
        }
        Block("system interface",
            ($"\"{Wan.Name}\"", [$"ip {Wan.Ip} 255.255.255.0"]),
            ($"\"{Lan.Name}\"", [$"ip {Lan.Ip} 255.255.255.0"]));
        Line(0, "config system dns");
        Line(1, "set primary 203.0.113.53");
        Line(0, "end");
        Block("user local", Users.Select(u => ($"\"{u.Name}\"", new[] { "type password", $"passwd \"{u.Password}\"" })).ToArray());
        Block("user group", ("\"vpn-users\"", [$"member {string.Join(' ', Users.Select(u => $"\"{u.Name}\""))}"]));
        Block("firewall address", ("\"lab_lan\"", ["subnet 203.0.113.0 255.255.255.0"]));
        if (GatewayCertificate is { } gwCert)
        {
            // FortiOS keeps PEM in multi-line quoted strings.
            Block("vpn certificate local", ("\"gw-cert\"",
                [$"certificate \"{gwCert.CertificatePem.TrimEnd('\n')}\"", $"private-key \"{gwCert.KeyPem.TrimEnd('\n')}\""]));
        }
        if (DeviceCaPem is { } deviceCa)
        {
            Block("vpn certificate ca", ("\"devices-ca\"", [$"ca \"{deviceCa.TrimEnd('\n')}\""]));
            Block("user peer", ("\"device\"", ["ca \"devices-ca\""]));
        }
        Block("vpn ipsec phase1-interface", ($"\"{TunnelName}\"",
        [
            "type dynamic",
            $"interface \"{Wan.Name}\"",
            "ike-version 2",
            .. DeviceCaPem is null ? ["peertype any"]
                : new[] { "peertype peer", "peer \"device\"", EapTls ? "eap-method tls" : "eap-cert-auth enable" },
            "net-device disable",
            "mode-cfg enable",
            $"proposal {string.Join(' ', Phase1Proposals)}",
            $"dhgrp {string.Join(' ', DhGroups.Select(g => g.ToString(CultureInfo.InvariantCulture)))}",
            "eap enable",
            "eap-identity send-request",
            .. EapTls ? Array.Empty<string>() : ["authusrgrp \"vpn-users\""],
            $"localid \"{LocalId}\"",
            $"ipv4-start-ip {PoolStart}",
            $"ipv4-end-ip {PoolEnd}",
            "dns-mode auto",
            "ipv4-split-include \"lab_lan\"",
            .. DpdOnIdleInterval is { } dpd
                ? new[] { "dpd on-idle", $"dpd-retryinterval {dpd.ToString(CultureInfo.InvariantCulture)}", $"dpd-retrycount {DpdRetryCount.ToString(CultureInfo.InvariantCulture)}" }
                : [],
            .. ZtnaTags.Count == 0 ? Array.Empty<string>() :
            [
                "remote-gw-match ztna",
                $"remote-gw-ztna-tags {string.Join(' ', ZtnaTags.Select(t => $"\"{t}\""))}",
                "ems-sn-check disable",
                .. ZtnaUidProof ? ["ztna-uid-proof enable"] : Array.Empty<string>(),
                .. ZtnaTokenBinding ? ["ztna-token-binding enable"] : Array.Empty<string>(),
            ],
            .. GatewayCertificate is null ? [$"psksecret \"{Psk}\""] : new[] { "authmethod signature", "certificate \"gw-cert\"" },
            .. RedirectGateways.Count == 0 ? Array.Empty<string>() : [$"redirect-gateway {string.Join(' ', RedirectGateways.Select(g => $"\"{g}\""))}"],
            .. RedirectThreshold == 0 ? Array.Empty<string>() : [$"redirect-threshold {RedirectThreshold.ToString(CultureInfo.InvariantCulture)}"],
        ]));
        Block("vpn ipsec phase2-interface", ($"\"{TunnelName}\"",
        [
            $"phase1name \"{TunnelName}\"",
            $"proposal {string.Join(' ', Phase2Proposals)}",
        ]));
        Block("firewall policy", ("1",
        [
            "name \"vpn-to-lan\"",
            $"srcintf \"{TunnelName}\"",
            $"dstintf \"{Lan.Name}\"",
            "srcaddr \"all\"",
            "dstaddr \"lab_lan\"",
            $"action {PolicyAction}",
            "schedule \"always\"",
            "service \"ALL\"",
        ]));
        return t.ToString();
    }
}
