// `pgate up`'s proven endpoints (UpDeviceProof): the example's ztna phase1s load with the gateway
// signing, a device-certificate round before EAP and ztna-uid-proof / ztna-token-binding on the EMS's
// endpoint CA, without the file changing; the gateway CA is made once, owner-only, and refused when
// others may read its key; a phase1 not of the seed's shape is left as written.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Admission;
using PostureGate.Cli.Commands;
using PostureGate.Cli.Commands.Cert;
using PostureGate.Config;
using PostureGate.Config.Model;

namespace PostureGate.Cli.Tests.Commands;

public sealed class UpDeviceProofTests : IDisposable
{
    private static readonly IPAddress[] Addresses = [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2")];
    private readonly string _data = Directory.CreateTempSubdirectory("pgate-proof-").FullName;
    private readonly string _endpointCaPem;

    public UpDeviceProofTests()
    {
        using var ca = CertificateFactory.CreateCa("Test EMS endpoint CA", KeyType.EcdsaP256, DateTimeOffset.UtcNow, 30);
        _endpointCaPem = ca.ExportCertificatePem();
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static GatewayConfig Example() => ConfigLoader.Load(TestHost.ExamplePath()).Config!;

    [Fact]
    public void The_examples_ztna_tunnels_require_the_device_certificate_and_the_file_is_unchanged()
    {
        var before = File.ReadAllBytes(TestHost.ExamplePath());

        var proof = UpDeviceProof.Create(Example(), _data, _endpointCaPem, Addresses, out var error);
        var errors = new StringWriter();
        var config = proof?.Load(TestHost.ExamplePath(), errors, null);

        Assert.Null(error);
        Assert.True(config is not null, errors.ToString());
        Assert.Equal(before, File.ReadAllBytes(TestHost.ExamplePath()));
        using var gatewayCa = X509Certificate2.CreateFromPem(File.ReadAllText(proof!.GatewayCaPath));
        Assert.Equal(2, config.Phase1Interfaces.Count(p => p.Type == Phase1Type.Dynamic));
        foreach (var p in config.Phase1Interfaces.Where(p => p.Type == Phase1Type.Dynamic))
        {
            Assert.True(proof.Proves(p), p.Name);
            Assert.Equal(Phase1AuthMethod.Signature, p.AuthMethod);
            Assert.Null(p.PskSecret);
            Assert.Equal(PeerType.Peer, p.PeerType);
            Assert.True(p.EapCertAuth && p.ZtnaUidProof && p.ZtnaTokenBinding, p.Name);
            Assert.Equal(_endpointCaPem.TrimEnd('\n'), p.Peer!.Ca.Pem.TrimEnd('\n'));
            // The seed's posture settings stay: the tags, the user group, EAP.
            Assert.Equal(RemoteGwMatchMode.Ztna, p.RemoteGwMatch);
            Assert.NotEmpty(p.RemoteGwZtnaTags);
            Assert.True(p.Eap);
            Assert.NotNull(p.AuthUserGroup);
            // The gateway's certificate chains to the CA clients get and names every tunnel's address.
            using var certificate = Assert.Single(p.Certificates).OpenCertificate();
            Assert.Equal(gatewayCa.SubjectName.RawData, certificate.IssuerName.RawData);
            var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(Addresses, san.EnumerateIPAddresses());
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_data, UpDeviceProof.GatewayCaKeyFile)));
    }

    [Fact]
    public void The_gateway_ca_is_made_once_and_kept_across_starts()
    {
        var first = UpDeviceProof.Create(Example(), _data, _endpointCaPem, Addresses, out _)!;
        var ca = File.ReadAllText(first.GatewayCaPath);

        var second = UpDeviceProof.Create(Example(), _data, _endpointCaPem, Addresses, out var error);

        Assert.Null(error);
        Assert.Equal(ca, File.ReadAllText(second!.GatewayCaPath));
    }

    [Fact]
    public void A_gateway_ca_key_others_can_read_is_refused()
    {
        UpDeviceProof.Create(Example(), _data, _endpointCaPem, Addresses, out _);
        var key = Path.Combine(_data, UpDeviceProof.GatewayCaKeyFile);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var proof = UpDeviceProof.Create(Example(), _data, _endpointCaPem, Addresses, out var error);

        Assert.Null(proof);
        Assert.Equal($"{key}: readable by others; make it owner-only (chmod 600)", error);
    }

    [Fact]
    public void A_gateway_ca_without_its_key_is_refused_and_not_replaced()
    {
        var ca = Path.Combine(_data, UpDeviceProof.GatewayCaFile);
        File.WriteAllText(ca, _endpointCaPem);

        var proof = UpDeviceProof.Create(Example(), _data, _endpointCaPem, Addresses, out var error);

        Assert.Null(proof);
        Assert.Equal($"{ca} without {Path.Combine(_data, UpDeviceProof.GatewayCaKeyFile)}: remove it to have a new gateway CA made", error);
        Assert.Equal(_endpointCaPem, File.ReadAllText(ca));
    }

    [Fact]
    public void Without_a_ztna_phase1_nothing_is_made()
    {
        // The example with its tunnels admitting without posture (remote-gw-match back to its default).
        var path = Path.Combine(_data, "any.conf");
        File.WriteAllText(path, File.ReadAllText(TestHost.ExamplePath()) + """
            config vpn ipsec phase1-interface
                edit "dialup"
                    unset ems-sn-check
                    unset remote-gw-ztna-tags
                    unset remote-gw-match
                next
                edit "FCT_EMS_TAG_ph2"
                    unset ems-sn-check
                    unset remote-gw-ztna-tags
                    unset remote-gw-match
                next
            end

            """);
        var loaded = ConfigLoader.Load(path);
        Assert.True(loaded.Config is not null, string.Join('\n', loaded.Diagnostics));

        var proof = UpDeviceProof.Create(loaded.Config, _data, _endpointCaPem, Addresses, out var error);

        Assert.Null(proof);
        Assert.Null(error);
        Assert.False(File.Exists(Path.Combine(_data, UpDeviceProof.GatewayCaFile)));
    }
}
