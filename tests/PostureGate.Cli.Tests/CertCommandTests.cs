// `pgate cert`: the CA and gateway certificate checked with openssl (chain, SAN, EKU), key
// files owner-only, the printed FortiOS block loading into a configuration, and the three
// client profiles made from that configuration (values equal to its proposals; the plist
// read by python3's plistlib, the .sswan read as JSON).
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using PostureGate.Config;

namespace PostureGate.Cli.Tests;

public sealed class CertCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pgate-cert-" + Guid.NewGuid().ToString("N"));

    public CertCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Program.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static (int Exit, string Out) Tool(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{file} is needed by this test (tests/interop/harness/install-deps.sh installs it)");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
    }

    private string MakeGateway(string key = "ecdsa-p256")
    {
        Assert.Equal(0, Run("cert", "ca", "create", "--dir", _dir).Exit);
        var (exit, block, err) = Run("cert", "gateway", "create", "--dir", _dir, "--name", "vpn.example.com", "--ip", "192.0.2.4", "--key", key);
        Assert.True(exit == 0, err);
        return block;
    }

    private string Config(string block, string phase1Extra = "", string phase2Extra = "")
    {
        var text = $$"""
            config system interface
                edit "port1"
                    set ip 192.0.2.4 255.255.255.0
                next
            end
            {{block}}
            config user local
                edit "alice"
                    set type password
                    set passwd "alice-password"
                next
            end
            config user group
                edit "users"
                    set member "alice"
                next
            end
            config vpn ipsec phase1-interface
                edit "dialup"
                    set type dynamic
                    set interface "port1"
                    set ike-version 2
                    set authmethod signature
                    set certificate "vpn.example.com"
                    set peertype any
                    set mode-cfg enable
                    set ipv4-start-ip 10.10.0.2
                    set ipv4-end-ip 10.10.0.50
                    set eap enable
                    set eap-identity send-request
                    set authusrgrp "users"{{phase1Extra}}
                next
            end
            config vpn ipsec phase2-interface
                edit "dialup"
                    set phase1name "dialup"{{phase2Extra}}
                next
            end
            """;
        var path = Path.Combine(_dir, "gw.conf");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("ecdsa-p256", "id-ecPublicKey")]
    [InlineData("rsa-2048", "rsaEncryption")]
    public void GatewayCertificateChainsToTheCaWithTheDialledNameAndTheEkusNativeClientsWant(string key, string algorithm)
    {
        var block = MakeGateway(key);
        var crt = Path.Combine(_dir, "vpn.example.com.crt");
        var (verify, verifyOut) = Tool("openssl", "verify", "-CAfile", Path.Combine(_dir, "ca.crt"), crt);
        Assert.True(verify == 0, verifyOut);
        var (_, text) = Tool("openssl", "x509", "-in", crt, "-noout", "-text");
        Assert.Contains("DNS:vpn.example.com, IP Address:192.0.2.4", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2", text, StringComparison.Ordinal);
        Assert.Contains("Subject: CN = vpn.example.com", text, StringComparison.Ordinal);
        Assert.Contains($"Public Key Algorithm: {algorithm}", text, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);
        var (_, caText) = Tool("openssl", "x509", "-in", Path.Combine(_dir, "ca.crt"), "-noout", "-text");
        Assert.Contains("CA:TRUE, pathlen:0", caText, StringComparison.Ordinal);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "vpn.example.com.key")));

        // The printed block is configuration: it loads, and the gateway can sign with it.
        var loaded = ConfigLoader.Load(Config(block));
        Assert.True(loaded.Config is not null, string.Join('\n', loaded.Diagnostics));
        using var signer = loaded.Config!.Phase1Interfaces.Find("dialup")!.Certificates[0].OpenWithPrivateKey();
        Assert.True(signer.HasPrivateKey);
        Assert.Equal(File.ReadAllText(crt).Trim(), signer.ExportCertificatePem().Trim());
    }

    [Fact]
    public void ExistingFilesAreNeverOverwritten()
    {
        MakeGateway();
        var before = File.ReadAllBytes(Path.Combine(_dir, "ca.key"));
        var (exit, _, err) = Run("cert", "ca", "create", "--dir", _dir);
        Assert.Equal(1, exit);
        Assert.Equal($"pgate cert: {Path.Combine(_dir, "ca.crt")} exists; not overwriting it (move it away first)\n", err);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_dir, "ca.key")));
        Assert.Equal(1, Run("cert", "gateway", "create", "--dir", _dir, "--name", "vpn.example.com").Exit);
    }

    [Theory]
    [InlineData("--name", "not a name", "--name 'not a name' is not a DNS name")]
    [InlineData("--ip", "10.1", "--ip '10.1' is not an IP address")]
    [InlineData("--key", "dsa", "--key must be one of ecdsa-p256, rsa-2048, not 'dsa'")]
    public void BadArgumentsAreOneLineAndWriteNothing(string option, string value, string message)
    {
        Assert.Equal(0, Run("cert", "ca", "create", "--dir", _dir).Exit);
        string[] args = option == "--name"
            ? ["cert", "gateway", "create", "--dir", _dir, "--name", value]
            : ["cert", "gateway", "create", "--dir", _dir, "--name", "vpn.example.com", option, value];
        var (exit, output, err) = Run(args);
        Assert.Equal(1, exit);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal("", output);
        Assert.Equal(["ca.crt", "ca.key"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WindowsScriptUsesTheFirstProposalsTheGatewayOffersThatWindowsCanDo()
    {
        // chacha20poly1305 first: Windows cannot do it, so aes256-sha384 is the one; DH 21 likewise, then 19.
        var config = Config(MakeGateway(), "\n        set proposal chacha20poly1305-prfsha256 aes256-sha384 aes128-sha256\n        set dhgrp 21 19 14",
            "\n        set proposal aes256gcm aes128-sha1\n        set dhgrp 20");
        var (exit, script, err) = Run("cert", "profile", "windows", "--gateway", "vpn.example.com", "--config", config, "--ca", Path.Combine(_dir, "ca.crt"));
        Assert.True(exit == 0, err);
        Assert.Contains("Add-VpnConnection -Name 'PostureGate vpn.example.com' -ServerAddress 'vpn.example.com' -TunnelType Ikev2 -AuthenticationMethod Eap -EncryptionLevel Required -Force\n", script, StringComparison.Ordinal);
        Assert.Contains("Set-VpnConnectionIPsecConfiguration -ConnectionName 'PostureGate vpn.example.com' -EncryptionMethod AES256 -IntegrityCheckMethod SHA384 -DHGroup ECP256 "
            + "-CipherTransformConstants GCMAES256 -AuthenticationTransformConstants GCMAES256 -PfsGroup ECP384 -Force\n", script, StringComparison.Ordinal);
        Assert.Contains(File.ReadAllText(Path.Combine(_dir, "ca.crt")).Trim(), script, StringComparison.Ordinal);
    }

    [Fact]
    public void WindowsSplitsTheTunnelAsTheSplitIncludeSays()
    {
        var block = MakeGateway();
        var lan = "config firewall address\n    edit \"lan\"\n        set subnet 203.0.113.0 255.255.255.0\n    next\n    edit \"dc\"\n        set type iprange\n        set start-ip 198.51.100.10\n        set end-ip 198.51.100.13\n    next\nend\n"
            + "config firewall addrgrp\n    edit \"split\"\n        set member \"lan\" \"dc\"\n    next\nend\n";
        var config = Config(lan + block, "\n        set ipv4-split-include \"split\"");
        var (exit, script, err) = Run("cert", "profile", "windows", "--gateway", "vpn.example.com", "--config", config);
        Assert.True(exit == 0, err);
        Assert.Contains("-EncryptionLevel Required -SplitTunneling -Force\n", script, StringComparison.Ordinal);
        var routes = script.Split('\n').Where(l => l.StartsWith("Add-VpnConnectionRoute", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            [
                "Add-VpnConnectionRoute -ConnectionName 'PostureGate vpn.example.com' -DestinationPrefix '203.0.113.0/24'",
                "Add-VpnConnectionRoute -ConnectionName 'PostureGate vpn.example.com' -DestinationPrefix '198.51.100.10/31'",
                "Add-VpnConnectionRoute -ConnectionName 'PostureGate vpn.example.com' -DestinationPrefix '198.51.100.12/31'",
            ], routes);

        // Without a split-include everything goes through the tunnel: no -SplitTunneling, no routes.
        var (_, full, _) = Run("cert", "profile", "windows", "--gateway", "vpn.example.com", "--config", Config(block));
        Assert.DoesNotContain("SplitTunneling", full, StringComparison.Ordinal);
        Assert.DoesNotContain("Add-VpnConnectionRoute", full, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n        set proposal chacha20poly1305-prfsha256", "", "offers no proposal Windows can do (chacha20poly1305-prfsha256)")]
    [InlineData("\n        set dhgrp 21 31", "", "offers DH groups 21 31; Windows can do 14, 19 and 20")]
    [InlineData("", "\n        set dhgrp 21", "has 'pfs enable' with DH groups 21; Windows can do 14, 19 and 20")]
    public void WindowsIsRefusedWithAReasonWhenTheGatewayOffersNothingItCanDo(string phase1, string phase2, string reason)
    {
        var config = Config(MakeGateway(), phase1, phase2);
        var (exit, output, err) = Run("cert", "profile", "windows", "--gateway", "vpn.example.com", "--config", config);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(reason, err, StringComparison.Ordinal);
    }

    [Fact]
    public void AppleProfileIsAPropertyListWithTheGatewaysProposals()
    {
        var config = Config(MakeGateway(), "\n        set proposal aes256gcm-prfsha384 aes128-sha256\n        set dhgrp 20 14", "\n        set pfs disable");
        var (exit, xml, err) = Run("cert", "profile", "apple", "--gateway", "vpn.example.com", "--config", config, "--ca", Path.Combine(_dir, "ca.crt"));
        Assert.True(exit == 0, err);
        var path = Path.Combine(_dir, "p.mobileconfig");
        File.WriteAllText(path, xml);
        var script = """
            import plistlib, sys
            p = plistlib.load(open(sys.argv[1], 'rb'))
            vpn, ca = p['PayloadContent']
            i = vpn['IKEv2']
            print(p['PayloadType'], vpn['PayloadType'], vpn['VPNType'], ca['PayloadType'], len(ca['PayloadContent']) > 100)
            print(i['RemoteAddress'], i['RemoteIdentifier'], i['AuthenticationMethod'], i['ExtendedAuthEnabled'], i['ServerCertificateIssuerCommonName'], i['EnablePFS'])
            s, c = i['IKESecurityAssociationParameters'], i['ChildSecurityAssociationParameters']
            print(s['EncryptionAlgorithm'], s['IntegrityAlgorithm'], s['DiffieHellmanGroup'], c['EncryptionAlgorithm'], c['IntegrityAlgorithm'])
            """;
        var (rc, printed) = Tool("python3", "-c", script, path);
        Assert.True(rc == 0, printed);
        Assert.Equal(
            "Configuration com.apple.vpn.managed IKEv2 com.apple.security.root True\n"
            + "vpn.example.com vpn.example.com None 1 PostureGate VPN CA False\n"
            // The FortiOS default phase2 proposal list starts with aes128-sha1.
            + "AES-256-GCM SHA2-384 20 AES-128 SHA1-96\n", printed);
    }

    [Fact]
    public void SswanProfileIsJsonWithTheRequiredFieldsAndTheGatewaysProposals()
    {
        var config = Config(MakeGateway(), "\n        set proposal aes256-sha256 aes128-sha1\n        set dhgrp 19 14", "\n        set proposal aes256gcm\n        set pfs disable");
        var (exit, json, err) = Run("cert", "profile", "sswan", "--gateway", "vpn.example.com", "--config", config, "--ca", Path.Combine(_dir, "ca.crt"));
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.True(Guid.TryParse(root.GetProperty("uuid").GetString(), out _));
        Assert.Equal("PostureGate vpn.example.com", root.GetProperty("name").GetString());
        Assert.Equal("ikev2-eap", root.GetProperty("type").GetString());
        Assert.Equal("vpn.example.com", root.GetProperty("remote").GetProperty("addr").GetString());
        var der = Convert.FromBase64String(root.GetProperty("remote").GetProperty("cert").GetString()!);
        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
        Assert.Equal("CN=PostureGate VPN CA", ca.Subject);
        Assert.Equal("aes256-sha256-prfsha256-aes128-sha1-prfsha1-ecp256-modp2048", root.GetProperty("ike-proposal").GetString());
        Assert.Equal("aes256gcm16", root.GetProperty("esp-proposal").GetString());
    }

    /// <summary>The gateway of <see cref="MakeGateway"/> with a certificate peer (its CA as `user peer` "device") and <paramref name="phase1"/> added.</summary>
    private string CertificatePeerConfig(string phase1)
    {
        var block = MakeGateway();
        var peer = "config user peer\n    edit \"device\"\n        set ca \"PostureGate_CA\"\n    next\nend\n";
        var ca = "config vpn certificate ca\n    edit \"PostureGate_CA\"\n        set ca \"" + File.ReadAllText(Path.Combine(_dir, "ca.crt")).Trim() + "\"\n    next\nend\n";
        var config = Config(ca + block + peer, phase1);
        // A certificate peer: peertype peer (the default) with the user peer, instead of peertype any.
        File.WriteAllText(config, File.ReadAllText(config).Replace("        set peertype any\n", "        set peer \"device\"\n", StringComparison.Ordinal));
        return config;
    }

    [Fact]
    public void ADeviceCertificateRoundIsOnlyOfferedToTheStrongSwanApp()
    {
        var config = CertificatePeerConfig("\n        set eap-cert-auth enable");
        var (exit, json, err) = Run("cert", "profile", "sswan", "--gateway", "vpn.example.com", "--config", config);
        Assert.True(exit == 0, err);
        Assert.Equal("ikev2-cert-eap", JsonDocument.Parse(json).RootElement.GetProperty("type").GetString());
        var (winExit, _, winErr) = Run("cert", "profile", "windows", "--gateway", "vpn.example.com", "--config", config);
        Assert.Equal(1, winExit);
        Assert.Contains("has 'eap-cert-auth enable' (a device certificate, then EAP: two rounds, RFC 4739), which this client does not do", winErr, StringComparison.Ordinal);
    }

    [Fact]
    public void NoProfileIsExportedForEapTls()
    {
        var config = CertificatePeerConfig("\n        set eap-method tls");
        // EAP-TLS asks no password: no user group.
        File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(config), "\n *set authusrgrp [^\n]*", ""));

        var (exit, _, err) = Run("cert", "profile", "sswan", "--gateway", "vpn.example.com", "--config", config);

        Assert.Equal(1, exit);
        Assert.Contains("has 'eap-method tls' (EAP-TLS with the device certificate); the profiles use EAP-MSCHAPv2", err, StringComparison.Ordinal);
    }

    [Fact]
    public void AProfileNeedsASigningEapPhase1()
    {
        var text = File.ReadAllText(Config(MakeGateway())).Replace("set authmethod signature", "set authmethod psk", StringComparison.Ordinal)
            .Replace("set certificate \"vpn.example.com\"", "set psksecret \"x\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "psk.conf"), text);
        var (exit, _, err) = Run("cert", "profile", "sswan", "--gateway", "vpn.example.com", "--config", Path.Combine(_dir, "psk.conf"));
        Assert.Equal(1, exit);
        Assert.Equal("pgate cert profile: phase1-interface 'dialup' must have 'set authmethod signature' and 'set eap enable': native clients check the gateway's certificate and log the user in with EAP\n", err);
    }
}
