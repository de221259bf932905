// The strongSwan client conn of the certificate interop tests: pgate at 198.51.100.1 signs as
// gw.pg.example with a certificate from the CA in caFile; what the client proves is the local
// round(s) each test gives (a device certificate then EAP-MSCHAPv2, or EAP-TLS).
namespace PostureGate.Interop.Tests.Lab;

public static class CertificateClientConn
{
    /// <summary>swanctl.conf text for conn <paramref name="name"/> with these local section(s) (e.g. `local { … }`).</summary>
    public static string Swanctl(string name, string caFile, string localSections) => $$"""
        connections {
            {{name}} {
                version = 2
                local_addrs = 198.51.100.2
                remote_addrs = 198.51.100.1
                vips = 0.0.0.0
                proposals = aes128-sha256-modp2048
                encap = yes
                send_certreq = yes
        {{localSections}}
                remote {
                    auth = pubkey
                    id = gw.pg.example
                    cacerts = {{caFile}}
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
