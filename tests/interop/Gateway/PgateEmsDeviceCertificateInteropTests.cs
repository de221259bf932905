using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Interop.Tests.Lab;
using PostureGate.Interop.Tests.Pgate;
using PostureGate.Interop.Tests.Swanctl;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Gateway;

/// <summary>
/// Issue 10 interop (2) and (4), end to end: strongSwan 5.9.8, untouched, carries a device certificate that a real
/// `pgate ems` issued — the device enrolled with an invitation code (`pgate client enroll`, its own key, a CSR) —
/// and proves the device with it, then its user with EAP-MSCHAPv2, in two rounds (RFC 4739). The gateway's
/// `config vpn certificate ca` is the EMS's endpoint-ca.crt. With `remote-gw-match ztna` and `ztna-uid-proof enable`
/// the UID in that certificate is the endpoint the gate judges: admitted by the tag the EMS gives it, refused once the EMS removes the tag.
/// `pgate ems endpoint revoke` reaches the gateway over the connector's change stream: the tunnel goes (audit line)
/// and IKE_AUTH refuses the certificate from then on. strongSwan without a device certificate names no UID: however
/// tagged its address is, the gate refuses it (issue 10 finding 2, replacing the old admission by address).
/// </summary>
public sealed class PgateEmsDeviceCertificateInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string Conn = "device";
    private const string Tag = "lab_ok";
    private const string DynamicAddress = "EMS1_ZTNA_lab_ok";
    private const string Uid = "D1CE0C0FFEE04D2B9C0F1A2B3C4D5E6F";
    private static readonly string ClientAddress = $"ADDR({InteropLab.ClientIp})";
    private static readonly TimeSpan SyncWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RevokeWait = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("pgi-emsdev-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task EmsIssuedDeviceCertificateThenEap_IsAdmittedByTheTagOfItsUid_AndRefusedOnceTheEmsRemovesTheTag()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartWithEnrolledDeviceAsync(lab, ztna: true);

        var sa = await lab.InitiateEstablishedAsync(Conn);

        AssertAdmittedByTheTagOfItsUid(lab, sa);

        await lab.SetEndpointTagAsync(ems, Tag, Uid, present: false);

        await lab.WaitForSasAsync(l => !l.Any(s => s.IsEstablished), RevokeWait, "the gateway to delete the tunnel once the tag is gone", Conn);
        var revoked = Assert.Single(lab.PostureAuditLines("revoked"));
        Assert.Contains($"\"uid\":\"{Uid}\"", revoked);
        Assert.Contains("EMS no longer resolves the endpoint", revoked);
        await WaitForTagAsync(lab, present: false);

        var again = await lab.InitiateAsync(Conn);

        Assert.False(again.Succeeded, lab.Explain($"the gateway admitted a device the EMS no longer tags:\n{again}"));
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        var refusal = lab.PostureAuditLines("decision").Last();
        Assert.Contains("\"outcome\":\"deny\"", refusal);
        Assert.Contains($"\"uid\":\"{Uid}\"", refusal);
    }

    /// <summary>
    /// Issue 10 interop (3) with the EMS's own certificate: the enrolled device's key and certificate in one EAP-TLS
    /// round (RFC 5216, strongSwan `auth = eap-tls`, pgate `eap-method tls`); the gate judges the UID the certificate
    /// proves and admits it by that UID's EMS tag (strongSwan sends no FORTICLIENT_CONNECT).
    /// </summary>
    [SkippableFact]
    public async Task EmsIssuedDeviceCertificateInEapTls_IsAdmittedByTheTagOfItsUid()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        await StartWithEnrolledDeviceAsync(lab, ztna: true, eapTls: true);

        var sa = await lab.InitiateEstablishedAsync(Conn);

        AssertAdmittedByTheTagOfItsUid(lab, sa);
        var ping = await lab.PingFromClientAsync(sa.LocalVips.Single());
        Assert.True(ping.AllReplied, lab.Explain($"ping through the EAP-TLS tunnel:\n{ping.Command}"));
    }

    /// <summary>
    /// `remote-gw-match any`: no tag decides, only the certificate. The revocation alone deletes the tunnel and
    /// refuses the next IKE_AUTH (AUTHENTICATION_FAILED).
    /// </summary>
    [SkippableFact]
    public async Task RevokedDeviceCertificate_LosesItsTunnel_AndIsRefusedFromThenOn()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await StartWithEnrolledDeviceAsync(lab, ztna: false);
        await lab.InitiateEstablishedAsync(Conn);

        await lab.RevokeEndpointAsync(ems, Uid);

        await lab.WaitForSasAsync(l => !l.Any(s => s.IsEstablished), RevokeWait, "the gateway to delete the tunnel of the revoked certificate", Conn);
        var revoked = Assert.Single(lab.PostureAuditLines("revoked"));
        Assert.Contains("device certificate revoked by the EMS", revoked);
        Assert.Contains($"\"uid\":\"{Uid}\"", revoked);

        var again = await lab.InitiateAsync(Conn);

        Assert.False(again.Succeeded, lab.Explain($"the gateway accepted a revoked device certificate:\n{again}"));
        Assert.Contains("AUTHENTICATION_FAILED", again.Output);
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        Assert.Contains("is revoked", lab.LogTail(LabLog.Pgate, int.MaxValue));
    }

    /// <summary>
    /// The plain EAP conn (no device certificate, no FORTICLIENT_CONNECT) from the address the EMS records for a
    /// tagged endpoint: before issue 10 that address admitted it; now no UID, no admission.
    /// </summary>
    [SkippableFact]
    public async Task StrongSwanWithoutADeviceCertificate_IsRefused_EvenFromATaggedAddress()
    {
        await using var lab = await InteropLab.CreateAsync(output);
        var ems = await lab.StartEmsAsync();
        await lab.RegisterEndpointAsync(ems, Uid, InteropLab.ClientIp);
        await lab.SetEndpointTagAsync(ems, Tag, Uid, present: true);
        await lab.StartPgateGatewayAsync(new PgateLabConfig { Ems = ems, ZtnaTags = [DynamicAddress] }.ToString());
        await WaitForTagAsync(lab, present: true);
        using var debug = await lab.AttachPgateDebugAsync();
        await lab.StartClientAsync();

        var r = await lab.InitiateAsync("dialup", timeoutSeconds: 15);

        Assert.False(r.Succeeded, lab.Explain($"the gateway admitted a client that named no endpoint UID:\n{r}"));
        Assert.DoesNotContain(await lab.ListSasAsync(), s => s.IsEstablished);
        var decision = Assert.Single(lab.PostureAuditLines("decision"));
        Assert.Contains("\"outcome\":\"deny\"", decision);
        Assert.Contains("FortiClient UID missing: no FORTICLIENT_CONNECT", decision);
        Assert.Contains("EMS ZTNA tags check failure", debug.Text);
        Assert.DoesNotContain("EMS ZTNA tags check success", debug.Text);
        var explain = await lab.PgateDiagnoseAsync("posture", "explain", "192.0.2.99", "dialup");
        Assert.Contains("FortiClient UID missing", explain.StdOut);
    }

    /// <summary>
    /// The EMS, the device enrolled with it at the client's address (tagged when <paramref name="ztna"/>), the gateway
    /// following that EMS, and strongSwan with the device's key and certificate (two rounds, or one EAP-TLS round
    /// when <paramref name="eapTls"/>).
    /// </summary>
    private async Task<LabEms> StartWithEnrolledDeviceAsync(InteropLab lab, bool ztna, bool eapTls = false)
    {
        var ems = await lab.StartEmsAsync();
        await lab.RegisterEndpointAsync(ems, Uid, InteropLab.ClientIp);
        if (ztna)
            await lab.SetEndpointTagAsync(ems, Tag, Uid, present: true);
        var gwCa = LabCertificates.Ca("PG Gateway CA");
        await lab.StartPgateGatewayAsync((Gateway(ems, gwCa, ztna) with { EapTls = eapTls }).ToString());
        if (ztna)
            await WaitForTagAsync(lab, present: true);
        else
            await lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("endpoint", "fctems", "status")).StdOut.Contains("state: synced", StringComparison.Ordinal),
                SyncWait, "the gateway's EMS connector to sync");
        await StartClientWithDeviceCertificateAsync(lab, gwCa, eapTls);
        return ems;
    }

    /// <summary>The gateway proved gw.pg.example, and the one posture decision admitted <see cref="Uid"/> by its tag.</summary>
    private static void AssertAdmittedByTheTagOfItsUid(InteropLab lab, IkeSaInfo sa)
    {
        Assert.Equal("gw.pg.example", sa.RemoteId);
        var decision = Assert.Single(lab.PostureAuditLines("decision"));
        Assert.Contains("\"outcome\":\"allow\"", decision);
        Assert.Contains($"\"uid\":\"{Uid}\"", decision);
        Assert.Contains($"\"tag\":\"{DynamicAddress}\"", decision);
    }

    private static Task WaitForTagAsync(InteropLab lab, bool present) =>
        lab.WaitForAsync(async () => (await lab.PgateDiagnoseAsync("firewall", "dynamic", "list", DynamicAddress)).StdOut.Contains(ClientAddress, StringComparison.Ordinal) == present,
            SyncWait, $"`diagnose firewall dynamic list {DynamicAddress}` to {(present ? "show" : "no longer show")} {ClientAddress}");

    /// <summary>The gateway signs with a certificate of <paramref name="gwCa"/> and trusts the EMS's endpoint CA for devices.</summary>
    private static PgateLabConfig Gateway(LabEms ems, (X509Certificate2 Cert, ECDsa Key) gwCa, bool ztna) => new()
    {
        Ems = ems,
        ZtnaTags = ztna ? [DynamicAddress] : [],
        // What docs/security.md recommends: only the certificate may name the UID.
        ZtnaUidProof = ztna,
        GatewayCertificate = LabCertificates.Issue(gwCa, "CN=gw.pg.example", dns: "gw.pg.example"),
        // What docs/clients.md tells the admin to paste: the endpoint CA the EMS made on its first start.
        DeviceCaPem = File.ReadAllText(Path.Combine(ems.DataDirectory, "endpoint-ca.crt")),
    };

    /// <summary>The key and certificate `pgate client enroll` wrote for the device, given to strongSwan as they are.</summary>
    private async Task StartClientWithDeviceCertificateAsync(InteropLab lab, (X509Certificate2 Cert, ECDsa Key) gwCa, bool eapTls)
    {
        var caFile = Path.Combine(_dir, "gw-ca.pem");
        File.WriteAllText(caFile, gwCa.Cert.ExportCertificatePem());
        var certFile = Path.Combine(lab.PgateDeviceDir, Uid + ".crt");
        Assert.True(File.Exists(certFile), $"pgate client enroll wrote no {certFile}");
        await lab.StartClientAsync(LabDeviceConn.Client(Conn, certFile, caFile, eapTls));
        await LabDeviceConn.LoadKeyAsync(lab, await File.ReadAllTextAsync(Path.Combine(lab.PgateDeviceDir, Uid + ".key")));
    }
}
