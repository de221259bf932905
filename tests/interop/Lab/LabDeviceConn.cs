// The strongSwan conn of the device-certificate interop tests (issue 10): RFC 4739 multiple authentication,
// swanctl's local-1 (the device certificate, ID = its subject DN) and local-2 (alice, EAP-MSCHAPv2) — or one
// round of EAP-TLS with the device certificate (RFC 5216, `auth = eap-tls`) — against a gateway that signs with
// a certificate for gw.pg.example; and the device key, loaded the way swanctl 5.9.8 takes it.
namespace PostureGate.Interop.Tests.Lab;

public static class LabDeviceConn
{
    /// <summary>The conn <paramref name="conn"/>: round 1 <paramref name="deviceCertificateFile"/>, round 2 alice (or, with
    /// <paramref name="eapTls"/>, one EAP-TLS round with the certificate); the gateway must prove gw.pg.example with a
    /// certificate from <paramref name="gatewayCaFile"/>.</summary>
    public static ClientOptions Client(string conn, string deviceCertificateFile, string gatewayCaFile, bool eapTls = false) => new()
    {
        ExtraSwanctlConf = $$"""
            connections {
                {{conn}} {
                    version = 2
                    local_addrs = 198.51.100.2
                    remote_addrs = 198.51.100.1
                    vips = 0.0.0.0
                    proposals = aes128-sha256-modp2048
                    encap = yes
                    send_certreq = yes
            {{(eapTls ? EapTlsRound(deviceCertificateFile) : TwoRounds(deviceCertificateFile))}}
                    remote {
                        auth = pubkey
                        id = gw.pg.example
                        cacerts = {{gatewayCaFile}}
                    }
                    children {
                        lan {
                            remote_ts = 203.0.113.0/24
                            esp_proposals = aes128-sha256
                            start_action = none
                        }
                    }
                }
            }
            """,
    };

    private static string TwoRounds(string deviceCertificateFile) => $$"""
                local-1 {
                    auth = pubkey
                    certs = {{deviceCertificateFile}}
                }
                local-2 {
                    auth = eap-mschapv2
                    id = alice
                    eap_id = alice
                }
        """;

    private static string EapTlsRound(string deviceCertificateFile) => $$"""
                local {
                    auth = eap-tls
                    certs = {{deviceCertificateFile}}
                }
        """;

    /// <summary>
    /// swanctl reads private keys itself, from the pkcs8/ directory beside the client's swanctl.conf (a
    /// `secrets` entry with an absolute path is not loaded by 5.9.8's swanctl): put it there and load it.
    /// </summary>
    public static async Task LoadKeyAsync(InteropLab lab, string keyPem)
    {
        var conf = Path.Combine(lab.StateDir, "conf", "client");
        Directory.CreateDirectory(Path.Combine(conf, "pkcs8"));
        await File.WriteAllTextAsync(Path.Combine(conf, "pkcs8", "device.pem"), keyPem);
        var r = await lab.SwanctlAsync(CharonInstance.Client, TimeSpan.FromSeconds(45), "--load-creds", "--noprompt", "--file", Path.Combine(conf, "swanctl.conf"));
        Assert.True(r.Succeeded && r.Output.Contains("loaded pkcs8 key", StringComparison.Ordinal), lab.Explain($"device key not loaded:\n{r}"));
    }
}
