using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// Issue 10 interop (1) and (4): pgate signs with its certificate (`authmethod signature`) while
/// strongSwan 5.9.8, untouched, does EAP-MSCHAPv2 — the shape of Windows and the strongSwan app —
/// with an RSA and an ECDSA gateway certificate; and the client refuses a gateway certificate from a
/// CA it does not trust and one whose SAN is not the name it dials.
/// </summary>
public sealed class PgateCertificateInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Conn = "gw-cert";

    /// <summary>charon's refusal of the gateway's certificate: no public key it trusts for the ID it requires.</summary>
    private static readonly System.Text.RegularExpressions.Regex NoTrustedKey = new("no trusted (ECDSA|RSA) public key found for 'gw.pg.example'");
    private readonly string _dir = Directory.CreateTempSubdirectory("pgi-cert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GatewayCertificate_AndEapMschapv2_Establish(bool rsa)
    {
        var ca = Ca("PG Interop CA");
        await using var lab = await InteropLab.CreateWithPgateAsync(output,
            new PgateLabConfig { GatewayCertificate = GatewayCertificate(ca, "gw.pg.example", rsa) }, ClientTrusting(ca));

        var sa = await lab.InitiateEstablishedAsync(Conn);

        Assert.Equal("gw.pg.example", sa.RemoteId);
        Assert.Contains(sa.Children, c => c.IsInstalled);
    }

    [SkippableFact]
    public async Task GatewayCertificateFromAnotherCa_IsRefusedByStrongSwan()
    {
        var trusted = Ca("PG Interop CA");
        var other = Ca("PG Interop CA"); // the same name, another key
        await using var lab = await InteropLab.CreateWithPgateAsync(output,
            new PgateLabConfig { GatewayCertificate = GatewayCertificate(other, "gw.pg.example", rsa: false) }, ClientTrusting(trusted));

        var r = await lab.InitiateAsync(Conn);

        Assert.False(r.Succeeded, lab.Explain($"strongSwan accepted a gateway certificate from an untrusted CA:\n{r}"));
        Assert.True(NoTrustedKey.IsMatch(r.Output), lab.Explain($"refused, but not for the certificate:\n{r}"));
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
    }

    [SkippableFact]
    public async Task GatewayCertificateForAnotherName_IsRefusedByStrongSwan()
    {
        var ca = Ca("PG Interop CA");
        await using var lab = await InteropLab.CreateWithPgateAsync(output,
            new PgateLabConfig { GatewayCertificate = GatewayCertificate(ca, "other.pg.example", rsa: false) }, ClientTrusting(ca));

        var r = await lab.InitiateAsync(Conn);

        Assert.False(r.Succeeded, lab.Explain($"strongSwan accepted a gateway certificate without gw.pg.example in its SAN:\n{r}"));
        Assert.True(NoTrustedKey.IsMatch(r.Output), lab.Explain($"refused, but not for the certificate:\n{r}"));
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
    }

    /// <summary>The base dialup conn, but the gateway proves itself with a certificate from <paramref name="ca"/>.</summary>
    private ClientOptions ClientTrusting((X509Certificate2 Cert, ECDsa Key) ca)
    {
        var caFile = Path.Combine(_dir, "ca.pem");
        File.WriteAllText(caFile, ca.Cert.ExportCertificatePem());
        return new ClientOptions
        {
            ExtraSwanctlConf = $$"""
                connections {
                    {{Conn}} : connections.dialup {
                        send_certreq = yes
                        remote {
                            auth = pubkey
                            id = gw.pg.example
                            cacerts = {{caFile}}
                        }
                    }
                }
                """,
        };
    }

    private static (X509Certificate2 Cert, ECDsa Key) Ca(string name) => LabCertificates.Ca(name);

    /// <summary>What Windows asks of a gateway certificate: the dialled name in the SAN, serverAuth EKU.</summary>
    private static (string, string) GatewayCertificate((X509Certificate2 Cert, ECDsa Key) ca, string dns, bool rsa) =>
        LabCertificates.Issue(ca, "CN=" + dns, dns: dns, rsa: rsa, serverAuth: true);
}
