using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// Issue 10 interop (3): strongSwan 5.9.8, untouched, authenticates with `auth = eap-tls` and its device
/// certificate (RFC 5216) to pgate, which signs IKE_AUTH with its gateway certificate and serves EAP-TLS
/// with the same certificate (`eap-method tls`). The tunnel comes up and carries pings; a device
/// certificate from another CA of the same name is refused; with `remote-gw-match ztna` the device is
/// admitted by the EMS tag of the UID its certificate proves (strongSwan sends no FORTICLIENT_CONNECT).
/// </summary>
public sealed class PgateEapTlsInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Conn = "eaptls";
    private const string Uid = "7D3C5B1A9E8F40C2B6A4D2E0F1C3B5A7";
    private const string Tag = "lab_ok";
    private readonly string _dir = Directory.CreateTempSubdirectory("pgi-eaptls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task DeviceCertificateInEapTls_Establishes_AndCarriesTraffic()
    {
        var gwCa = LabCertificates.Ca("PG Gateway CA");
        var deviceCa = LabCertificates.Ca("PG Endpoint CA");
        var device = Device(deviceCa);
        await using var lab = await InteropLab.CreateWithPgateAsync(output, Gateway(gwCa, deviceCa), Client(gwCa, device.CertificatePem));
        await LabDeviceConn.LoadKeyAsync(lab, device.KeyPem);

        var sa = await lab.InitiateEstablishedAsync(Conn);

        Assert.Equal("gw.pg.example", sa.RemoteId);
        var ping = await lab.PingFromClientAsync(sa.LocalVips.Single());
        Assert.True(ping.AllReplied, lab.Explain($"ping through the EAP-TLS tunnel:\n{ping.Command}"));
    }

    [SkippableFact]
    public async Task DeviceCertificateFromAnotherCa_IsRefused()
    {
        var gwCa = LabCertificates.Ca("PG Gateway CA");
        var deviceCa = LabCertificates.Ca("PG Endpoint CA");
        var rogue = Device(LabCertificates.Ca("PG Endpoint CA")); // same name, another key
        await using var lab = await InteropLab.CreateWithPgateAsync(output, Gateway(gwCa, deviceCa), Client(gwCa, rogue.CertificatePem));
        await LabDeviceConn.LoadKeyAsync(lab, rogue.KeyPem);

        var r = await lab.InitiateAsync(Conn);

        Assert.False(r.Succeeded, lab.Explain($"pgate accepted an EAP-TLS certificate from an untrusted CA:\n{r}"));
        // RFC 7296 §2.16: a refusal inside EAP is an EAP-Failure; the gateway's audit line says why.
        Assert.Contains("EAP_FAILURE", r.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        var refusal = Assert.Single(lab.PostureAuditLines("auth-failed"));
        Assert.Contains("does not chain to a configured CA", refusal);
    }

    [SkippableFact]
    public async Task WithZtnaMatch_TheCertificatesUidIsAdmittedByItsEmsTag()
    {
        var gwCa = LabCertificates.Ca("PG Gateway CA");
        var deviceCa = LabCertificates.Ca("PG Endpoint CA");
        var device = Device(deviceCa);
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await lab.StartEmsAsync();
        await lab.RegisterEndpointAsync(ems, Uid, InteropLab.ClientIp);
        await lab.SetEndpointTagAsync(ems, Tag, Uid, present: true);
        await lab.StartPgateGatewayAsync((Gateway(gwCa, deviceCa) with { Ems = ems, ZtnaTags = ["EMS1_ZTNA_" + Tag] }).ToString());
        await lab.StartClientAsync(Client(gwCa, device.CertificatePem));
        await LabDeviceConn.LoadKeyAsync(lab, device.KeyPem);

        var sa = await lab.InitiateEstablishedAsync(Conn);

        Assert.Equal("gw.pg.example", sa.RemoteId);
        var decision = Assert.Single(lab.PostureAuditLines("decision"));
        Assert.Contains("\"outcome\":\"allow\"", decision);
        Assert.Contains($"\"uid\":\"{Uid}\"", decision);
    }

    private static PgateLabConfig Gateway((X509Certificate2 Cert, ECDsa Key) gwCa, (X509Certificate2 Cert, ECDsa Key) deviceCa) => new()
    {
        GatewayCertificate = LabCertificates.Issue(gwCa, "CN=gw.pg.example", "gw.pg.example", null),
        DeviceCaPem = deviceCa.Cert.ExportCertificatePem(),
        EapTls = true,
    };

    private static (string CertificatePem, string KeyPem) Device((X509Certificate2 Cert, ECDsa Key) ca) =>
        LabCertificates.Issue(ca, "CN=" + Uid, null, "urn:posturegate:uid:" + Uid);

    /// <summary>One round, EAP-TLS with the device certificate (IDi = its subject DN); the gateway signs.</summary>
    private ClientOptions Client((X509Certificate2 Cert, ECDsa Key) gwCa, string deviceCertPem)
    {
        var caFile = Path.Combine(_dir, "gw-ca.pem");
        var certFile = Path.Combine(_dir, "device.pem");
        File.WriteAllText(caFile, gwCa.Cert.ExportCertificatePem());
        File.WriteAllText(certFile, deviceCertPem);
        return LabDeviceConn.Client(Conn, certFile, caFile, eapTls: true);
    }
}
