using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// Issue 10 interop (2)/(4), the IKE half: strongSwan 5.9.8, untouched, proves its device with a
/// certificate and then its user with EAP-MSCHAPv2 in two rounds (RFC 4739, swanctl local-1 /
/// local-2) to pgate, which signs with its own certificate; a device certificate from another CA is
/// refused with AUTHENTICATION_FAILED.
/// </summary>
public sealed class PgateDeviceCertificateInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Conn = "device";
    private const string Uid = "6108A9179A5C40D7BD57504E15114C1F";
    private readonly string _dir = Directory.CreateTempSubdirectory("pgi-dev-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task DeviceCertificateThenEap_InTwoRounds_Establish()
    {
        var gwCa = Ca("PG Gateway CA");
        var deviceCa = Ca("PG Endpoint CA");
        var device = Device(deviceCa);
        await using var lab = await InteropLab.CreateWithPgateAsync(output, Gateway(gwCa, deviceCa), Client(gwCa, device));
        await LabDeviceConn.LoadKeyAsync(lab, device.Item2);

        var sa = await lab.InitiateEstablishedAsync(Conn);

        Assert.Equal("gw.pg.example", sa.RemoteId);
    }

    [SkippableFact]
    public async Task DeviceCertificateFromAnotherCa_IsRefused()
    {
        var gwCa = Ca("PG Gateway CA");
        var deviceCa = Ca("PG Endpoint CA");
        var rogue = Ca("PG Endpoint CA"); // same name, another key
        var device = Device(rogue);
        await using var lab = await InteropLab.CreateWithPgateAsync(output, Gateway(gwCa, deviceCa), Client(gwCa, device));
        await LabDeviceConn.LoadKeyAsync(lab, device.Item2);

        var r = await lab.InitiateAsync(Conn);

        Assert.False(r.Succeeded, lab.Explain($"pgate accepted a device certificate from an untrusted CA:\n{r}"));
        Assert.Contains("AUTHENTICATION_FAILED", r.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
    }

    private static PgateLabConfig Gateway((X509Certificate2 Cert, ECDsa Key) gwCa, (X509Certificate2 Cert, ECDsa Key) deviceCa) => new()
    {
        GatewayCertificate = Issue(gwCa, "CN=gw.pg.example", "gw.pg.example", null),
        DeviceCaPem = deviceCa.Cert.ExportCertificatePem(),
    };

    private static (string, string) Device((X509Certificate2 Cert, ECDsa Key) ca) =>
        Issue(ca, "CN=" + Uid, null, "urn:posturegate:uid:" + Uid);

    /// <summary>Round 1: the device certificate (ID = its subject DN); round 2: alice with EAP-MSCHAPv2.</summary>
    private ClientOptions Client((X509Certificate2 Cert, ECDsa Key) gwCa, (string Cert, string Key) device)
    {
        var caFile = Path.Combine(_dir, "gw-ca.pem");
        var certFile = Path.Combine(_dir, "device.pem");
        File.WriteAllText(caFile, gwCa.Cert.ExportCertificatePem());
        File.WriteAllText(certFile, device.Cert);
        return LabDeviceConn.Client(Conn, certFile, caFile);
    }

    private static (X509Certificate2 Cert, ECDsa Key) Ca(string name) => LabCertificates.Ca(name);

    private static (string, string) Issue((X509Certificate2 Cert, ECDsa Key) ca, string subject, string? dns, string? uri) =>
        LabCertificates.Issue(ca, subject, dns, uri);
}
