// `pgate cert profile windows`: a PowerShell script that adds an IKEv2 EAP connection
// (Add-VpnConnection) and pins its IPsec parameters (Set-VpnConnectionIPsecConfiguration)
// to values the gateway's phase1/phase2 accept. The cmdlet takes one value per parameter;
// the words are those of the VpnClient module's enumerations (EncryptionMethod,
// IntegrityCheckMethod, DHGroup, CipherTransformConstants, AuthenticationTransformConstants,
// PfsGroup), as Microsoft documents them.
using System.Globalization;
using System.Text;
using PostureGate.Proposals;

namespace PostureGate.Cli.Commands.Cert;

/// <summary>The values a Windows connection gets, each a cmdlet enumeration word.</summary>
internal sealed record WindowsIpsecValues(
    string EncryptionMethod, string IntegrityCheckMethod, string DhGroup,
    string CipherTransformConstants, string AuthenticationTransformConstants, string PfsGroup,
    string Phase1Proposal, KeyExchangeMethod Phase1Group, string Phase2Proposal)
{
    /// <summary>The first phase1 proposal, DH group and phase2 proposal Windows can do, in the gateway's order; why not.</summary>
    public static bool TryChoose(ClientTunnel t, out WindowsIpsecValues? values, out string error)
    {
        values = null;
        var ike = t.Phase1.Proposals.Select(s => (Suite: s, Words: IkeWords(s))).FirstOrDefault(x => x.Words is not null);
        if (ike.Words is null)
        {
            error = $"phase1-interface '{t.Phase1.Name}' offers no proposal Windows can do ({string.Join(' ', t.Phase1.Proposals.Select(s => s.Name))}); "
                + "Windows does AES-CBC 128/192/256 or AES-GCM 128/256 with SHA-1, SHA-256 or SHA-384: add e.g. aes256-sha256";
            return false;
        }
        var group = t.Phase1.DhGroups.FirstOrDefault(g => DhWord(g) is not null);
        if (group == KeyExchangeMethod.None)
        {
            error = $"phase1-interface '{t.Phase1.Name}' offers DH groups {Groups(t.Phase1.DhGroups)}; Windows can do 14, 19 and 20 of those PostureGate has: add one to 'set dhgrp'";
            return false;
        }
        var esp = t.Phase2.Proposals.Select(s => (Suite: s, Words: EspWords(s))).FirstOrDefault(x => x.Words is not null);
        if (esp.Words is null)
        {
            error = $"phase2-interface '{t.Phase2.Name}' offers no proposal Windows can do ({string.Join(' ', t.Phase2.Proposals.Select(s => s.Name))}); "
                + "Windows does AES-CBC 128/192/256 with SHA-1 or SHA-256, or AES-GCM 128/256: add e.g. aes256-sha256";
            return false;
        }
        var pfs = "None";
        if (t.Phase2.Pfs)
        {
            var pfsGroup = t.Phase2.DhGroups.FirstOrDefault(g => PfsWord(g) is not null);
            if (pfsGroup == KeyExchangeMethod.None)
            {
                error = $"phase2-interface '{t.Phase2.Name}' has 'pfs enable' with DH groups {Groups(t.Phase2.DhGroups)}; Windows can do 14, 19 and 20: add one, or 'set pfs disable'";
                return false;
            }
            pfs = PfsWord(pfsGroup)!;
        }
        values = new WindowsIpsecValues(ike.Words.Value.Encryption, ike.Words.Value.Integrity, DhWord(group)!,
            esp.Words.Value.Cipher, esp.Words.Value.Auth, pfs, ike.Suite.Name, group, esp.Suite.Name);
        error = "";
        return true;
    }

    private static string Groups(IEnumerable<KeyExchangeMethod> groups) =>
        string.Join(' ', groups.Select(g => ((ushort)g).ToString(CultureInfo.InvariantCulture)));

    private static (string Encryption, string Integrity)? IkeWords(CipherSuite s)
    {
        var encryption = (s.Encryption, s.KeyBits) switch
        {
            (EncryptionAlgorithm.AesCbc, 128) => "AES128",
            (EncryptionAlgorithm.AesCbc, 192) => "AES192",
            (EncryptionAlgorithm.AesCbc, 256) => "AES256",
            (EncryptionAlgorithm.AesGcm16, 128) => "GCMAES128",
            (EncryptionAlgorithm.AesGcm16, 256) => "GCMAES256",
            _ => null,
        };
        // Windows uses one hash for integrity and PRF; FortiOS's CBC suites pair them the same way.
        var integrity = s.Prf switch
        {
            PrfAlgorithm.HmacSha1 => "SHA1",
            PrfAlgorithm.HmacSha2_256 => "SHA256",
            PrfAlgorithm.HmacSha2_384 => "SHA384",
            _ => null,
        };
        return encryption is null || integrity is null ? null : (encryption, integrity);
    }

    private static (string Cipher, string Auth)? EspWords(CipherSuite s) => (s.Encryption, s.KeyBits, s.Integrity) switch
    {
        (EncryptionAlgorithm.AesGcm16, 128, _) => ("GCMAES128", "GCMAES128"),
        (EncryptionAlgorithm.AesGcm16, 256, _) => ("GCMAES256", "GCMAES256"),
        (EncryptionAlgorithm.AesCbc, var bits and (128 or 192 or 256), IntegrityAlgorithm.HmacSha1_96) => ($"AES{bits}", "SHA196"),
        (EncryptionAlgorithm.AesCbc, var bits and (128 or 192 or 256), IntegrityAlgorithm.HmacSha2_256_128) => ($"AES{bits}", "SHA256128"),
        _ => null,
    };

    private static string? DhWord(KeyExchangeMethod g) => g switch
    {
        KeyExchangeMethod.Modp2048 => "Group14",
        KeyExchangeMethod.Ecp256 => "ECP256",
        KeyExchangeMethod.Ecp384 => "ECP384",
        _ => null,
    };

    private static string? PfsWord(KeyExchangeMethod g) => g switch
    {
        KeyExchangeMethod.Modp2048 => "PFS2048",
        KeyExchangeMethod.Ecp256 => "ECP256",
        KeyExchangeMethod.Ecp384 => "ECP384",
        _ => null,
    };
}

internal static class WindowsProfile
{
    public static string Script(ClientTunnel t, WindowsIpsecValues v, string gateway, string connectionName, string? caPem)
    {
        var sb = new StringBuilder();
        sb.Append("# PostureGate: an IKEv2 connection for Windows, EAP-MSCHAPv2 user login, gateway checked by its certificate.\n");
        sb.Append(CultureInfo.InvariantCulture, $"# Made by `pgate cert profile windows` from phase1-interface '{t.Phase1.Name}' and phase2-interface '{t.Phase2.Name}'.\n");
        sb.Append(CultureInfo.InvariantCulture, $"# IKE: {v.Phase1Proposal} with DH group {(ushort)v.Phase1Group}; ESP: {v.Phase2Proposal}, PFS {v.PfsGroup}.\n");
        sb.Append("# Run in an elevated PowerShell: powershell -ExecutionPolicy Bypass -File <this file>\n");
        sb.Append("$ErrorActionPreference = 'Stop'\n");
        if (caPem is not null)
        {
            // Windows checks the gateway's chain against the machine's root store.
            sb.Append("$caPem = @'\n").Append(caPem.Trim()).Append("\n'@\n");
            sb.Append("$caFile = Join-Path $env:TEMP 'posturegate-ca.crt'\n");
            sb.Append("Set-Content -Path $caFile -Value $caPem -Encoding ascii\n");
            sb.Append("Import-Certificate -FilePath $caFile -CertStoreLocation Cert:\\LocalMachine\\Root | Out-Null\n");
            sb.Append("Remove-Item $caFile\n");
        }
        var split = SplitRoutes(t);
        sb.Append(CultureInfo.InvariantCulture, $"Add-VpnConnection -Name {Ps(connectionName)} -ServerAddress {Ps(gateway)} -TunnelType Ikev2 -AuthenticationMethod Eap -EncryptionLevel Required{(split.Count > 0 ? " -SplitTunneling" : "")} -Force\n");
        sb.Append(CultureInfo.InvariantCulture, $"Set-VpnConnectionIPsecConfiguration -ConnectionName {Ps(connectionName)} -EncryptionMethod {v.EncryptionMethod} -IntegrityCheckMethod {v.IntegrityCheckMethod} -DHGroup {v.DhGroup} -CipherTransformConstants {v.CipherTransformConstants} -AuthenticationTransformConstants {v.AuthenticationTransformConstants} -PfsGroup {v.PfsGroup} -Force\n");
        // The phase1's ipv4-split-include as routes: Windows routes everything through the tunnel
        // unless the connection splits, and then only the routes it is given.
        foreach (var route in split)
            sb.Append(CultureInfo.InvariantCulture, $"Add-VpnConnectionRoute -ConnectionName {Ps(connectionName)} -DestinationPrefix '{route.NetworkAddress}/{route.PrefixLength}'\n");
        return sb.ToString();
    }

    /// <summary>The prefixes of <c>ipv4-split-include</c>; none when it is absent or covers everything.</summary>
    private static List<PostureGate.Net.Ipv4Subnet> SplitRoutes(ClientTunnel t)
    {
        if (!t.Phase1.ModeCfg || t.Phase1.Ipv4SplitInclude is not { } split)
            return [];
        var routes = split.Ranges().SelectMany(r => PostureGate.Net.Ipv4Subnet.Cover(r.Start, r.End)).Distinct().ToList();
        return routes.Any(r => r.PrefixLength == 0) ? [] : routes;
    }

    /// <summary>A PowerShell single-quoted string ('' escapes a quote).</summary>
    private static string Ps(string s) => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
}
