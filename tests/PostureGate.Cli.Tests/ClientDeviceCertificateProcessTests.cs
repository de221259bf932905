// `pgate client connect --device-cert --gateway-ca` as separate processes (issue 10): a device
// enrolled with `pgate ems` proves itself with the EMS-issued certificate in a first round, then its
// user with EAP (RFC 4739), at a gateway whose phase1 has `eap-cert-auth enable` and a `user peer`
// with the EMS's endpoint CA; the gateway's certificate must chain to --gateway-ca and name the
// address dialled (RFC 4945 §3.1). Each failure before or during IKE is one line with its exit code.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using PostureGate.Client;

namespace PostureGate.Cli.Tests;

public sealed class ClientDeviceCertificateProcessTests : IDisposable
{
    private const string Uid = "0123456789ABCDEF0123456789ABCDEF";

    private readonly string _dir = Directory.CreateTempSubdirectory("pgdevcert").FullName;
    private readonly string _password;
    private readonly string _devices;

    public ClientDeviceCertificateProcessTests()
    {
        _password = Path.Combine(_dir, "password");
        File.WriteAllText(_password, "example-userc-password\n");
        _devices = Path.Combine(_dir, "devices");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_enrolled_device_is_admitted_with_its_certificate_and_refused_without_it()
    {
        var endpointCa = await EnrollWithEmsAsync();
        var (gatewayCaPem, gatewayCertPem, gatewayKeyPem) = GatewayPki();
        var gatewayCa = Path.Combine(_dir, "gateway-ca.pem");
        File.WriteAllText(gatewayCa, gatewayCaPem);
        var config = Path.Combine(_dir, "gateway.conf");
        File.WriteAllText(config, Config(endpointCa, gatewayCertPem, gatewayKeyPem));

        var ike = TestHost.FreeUdpPort();
        var natt = TestHost.FreeUdpPort();
        using var up = PgateProcess.Start(_dir, ["up", "--config", config, "--data", Path.Combine(_dir, "up"),
            "--ems-listen", $"https://127.0.0.1:{TestHost.FreeTcpPort()}", "--ike-port", $"{ike}", "--natt-port", $"{natt}", "--data-plane", "off"]);
        try
        {
            await up.WaitForAsync("Ctrl-C stops everything.");
            string[] Connect(string host, params string[] extra) =>
                ["client", "connect", "--gateway", $"{host}:{ike}", "--natt-port", $"{natt}", "--user", "userc", "--password-file", _password,
                    "--uid", Uid, "--device-dir", _devices, "--gateway-ca", gatewayCa, "--once", "--status-file", Path.Combine(_dir, "status.json"), .. extra];

            var (exit, output) = await RunAsync(Connect("127.0.0.1", "--device-cert"));
            Assert.True(exit == ClientExitCodes.Ok, output);
            Assert.Contains("connected: ", output, StringComparison.Ordinal);

            // The same user without the device's certificate: the phase1 wants both rounds.
            (exit, output) = await RunAsync(Connect("127.0.0.1"));
            Assert.True(exit == ClientExitCodes.ConnectionFailed, output);
            Assert.DoesNotContain("connected: ", output, StringComparison.Ordinal);

            // The gateway's certificate names 127.0.0.1, not localhost: not the gateway dialled, so no EAP is sent.
            (exit, output) = await RunAsync(Connect("localhost", "--device-cert"));
            Assert.True(exit == ClientExitCodes.GatewayUntrusted, output);
            Assert.Contains("does not name localhost, the gateway dialled", output, StringComparison.Ordinal);

            // A CA of the same kind that did not issue the gateway's certificate.
            File.WriteAllText(gatewayCa, GatewayPki().CaPem);
            (exit, output) = await RunAsync(Connect("127.0.0.1", "--device-cert"));
            Assert.True(exit == ClientExitCodes.GatewayUntrusted, output);
            Assert.Contains("gateway certificate authentication failed", output, StringComparison.Ordinal);
        }
        finally
        {
            up.Interrupt();
        }
        await up.ExitAsync();
    }

    [Fact]
    public async Task Device_cert_without_an_enrolled_certificate_is_exit_8_and_creates_nothing()
    {
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), GatewayPki().CaPem);
        var line = await FailsWithAsync(ClientExitCodes.NoDeviceCertificate,
            ["client", "connect", "--gateway", $"127.0.0.1:{TestHost.FreeUdpPort()}", "--user", "userc", "--password-file", _password,
                "--uid", Uid, "--device-dir", _devices, "--device-cert", "--gateway-ca", Path.Combine(_dir, "ca.pem"), "--once",
                "--status-file", Path.Combine(_dir, "status.json")]);
        Assert.StartsWith($"pgate client: --device-cert: no enrolled certificate for {Uid} in {_devices}; enroll first", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_devices) && Directory.EnumerateFileSystemEntries(_devices).Any(), "a key was made for a device that is not enrolled");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not a certificate\n")]
    public async Task An_unreadable_gateway_ca_is_exit_9(string? content)
    {
        var ca = Path.Combine(_dir, "gateway-ca.pem");
        if (content is not null)
            File.WriteAllText(ca, content);
        var line = await FailsWithAsync(ClientExitCodes.GatewayCaUnreadable,
            ["client", "connect", "--gateway", $"127.0.0.1:{TestHost.FreeUdpPort()}", "--user", "userc", "--password-file", _password,
                "--gateway-ca", ca, "--once", "--status-file", Path.Combine(_dir, "status.json")]);
        Assert.StartsWith($"pgate client: --gateway-ca {ca}: {(content is null ? "cannot be read" : "not a PEM certificate")}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_psk_file_or_gateway_ca_is_a_command_line_error()
    {
        var line = await FailsWithAsync(ClientExitCodes.Usage,
            ["client", "connect", "--gateway", $"127.0.0.1:{TestHost.FreeUdpPort()}", "--user", "userc", "--password-file", _password, "--once"]);
        Assert.StartsWith("pgate client: --psk-file FILE is missing", line, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAsync(string[] args)
    {
        using var client = PgateProcess.Start(_dir, args);
        return await client.ExitAsync();
    }

    private async Task<string> FailsWithAsync(int exitCode, string[] args)
    {
        var (exit, output) = await RunAsync(args);
        Assert.True(exit == exitCode, $"exit {exit}, expected {exitCode}:\n{output}");
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        return Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("pgate client: ", StringComparison.Ordinal));
    }

    /// <summary>`pgate ems`, an invitation, `pgate client enroll`; returns the EMS's endpoint CA (PEM).</summary>
    private async Task<string> EnrollWithEmsAsync()
    {
        var data = Path.Combine(_dir, "ems");
        var url = $"https://127.0.0.1:{TestHost.FreeTcpPort()}";
        using var ems = PgateProcess.Start(_dir, ["ems", "--data", data, "--listen", url]);
        try
        {
            await ems.WaitForAsync("admin API key");
            var fingerprint = Regex.Match(ems.Output, @"certificate fingerprint \(SHA-256\):? (\S+)").Groups[1].Value;
            var (exit, output) = await RunAsync(["ems", "invite", "create", "--uses", "1", "--expires", "1h", "--data", data]);
            Assert.True(exit == 0, output);
            var invite = Path.Combine(_dir, "invite");
            File.WriteAllText(invite, Regex.Match(output, @"(?m)^invitation code: (\S+)\s*$").Groups[1].Value);
            File.SetUnixFileMode(invite, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            (exit, output) = await RunAsync(["client", "enroll", "--ems", url, "--ems-fingerprint", fingerprint, "--invite-file", invite,
                "--device-dir", _devices, "--uid", Uid, "--ip", "192.0.2.10"]);
            Assert.True(exit == 0 && output.Contains($"enrolled as {Uid}", StringComparison.OrdinalIgnoreCase), output);
        }
        finally
        {
            ems.Interrupt();
        }
        await ems.ExitAsync();
        return File.ReadAllText(Path.Combine(data, "endpoint-ca.crt"));
    }

    /// <summary>A gateway CA and a gateway certificate naming 127.0.0.1 (iPAddress SAN) only.</summary>
    private static (string CaPem, string CertificatePem, string KeyPem) GatewayPki()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=PG Test Gateway CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=gateway", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddDays(30),
            RandomNumberGenerator.GetBytes(8));
        return (ca.ExportCertificatePem(), certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    // One phase1: the gateway signs, the device proves itself with a certificate from the EMS's endpoint CA, then the user with EAP.
    private static string Config(string endpointCaPem, string certificatePem, string keyPem) => $$"""
        config system interface
            edit "wan"
                set ip 198.51.100.1 255.255.255.0
                set alias "internet"
            next
        end
        config user local
            edit "userc"
                set type password
                set passwd "example-userc-password"
            next
        end
        config user group
            edit "vpn-users"
                set member "userc"
            next
        end
        config vpn certificate local
            edit "gw-cert"
                set certificate "{{certificatePem.TrimEnd('\n')}}"
                set private-key "{{keyPem.TrimEnd('\n')}}"
            next
        end
        config vpn certificate ca
            edit "endpoint-ca"
                set ca "{{endpointCaPem.TrimEnd('\n')}}"
            next
        end
        config user peer
            edit "device"
                set ca "endpoint-ca"
            next
        end
        config vpn ipsec phase1-interface
            edit "devices"
                set type dynamic
                set interface "wan"
                set ike-version 2
                set peertype peer
                set peer "device"
                set eap-cert-auth enable
                set mode-cfg enable
                set net-device disable
                set proposal aes128-sha256 aes256-sha256 aes128gcm-prfsha256
                set dhgrp 20 21 14 19
                set eap enable
                set eap-identity send-request
                set authusrgrp "vpn-users"
                set ipv4-start-ip 10.212.134.200
                set ipv4-end-ip 10.212.134.210
                set authmethod signature
                set certificate "gw-cert"
            next
        end
        config vpn ipsec phase2-interface
            edit "devices"
                set phase1name "devices"
                set proposal aes128gcm aes256gcm aes128-sha256
            next
        end

        """;
}
