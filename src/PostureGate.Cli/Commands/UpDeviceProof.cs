// `pgate up`'s proven endpoints (issue 10, "The gate"; docs/security.md, "Threat table"): each dial-up
// phase1 that admits by `remote-gw-match ztna` with a pre-shared key and EAP-MSCHAPv2 — the seed's
// shape — runs the way docs/security.md recommends instead: the gateway signs with a certificate
// (RFC 7296 §2.15), the endpoint proves the device certificate the embedded EMS issued it in a first
// round and its user with EAP in a second (RFC 4739), and PostureGate's `ztna-uid-proof` and
// `ztna-token-binding` take the UID and the token from that certificate only. The file is never
// changed: these blocks are appended to its text at each load (the start and every reload).
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PostureGate.Admission;
using PostureGate.Cli.Commands.Cert;
using PostureGate.Config;
using PostureGate.Config.Model;
using PostureGate.Config.Printing;
using PostureGate.Config.Secrets;

namespace PostureGate.Cli.Commands;

internal sealed class UpDeviceProof
{
    public const string GatewayCaFile = "gateway-ca.crt";
    public const string GatewayCaKeyFile = "gateway-ca.key";
    private const string EndpointCaName = "pgate-up-endpoint-ca";
    private const string GatewayCertificateName = "pgate-up-gateway";
    private const string DevicePeerName = "pgate-up-device";
    // The gateway certificate is made at each start, so a year is ample; the CA lasts as long as clients keep its file.
    private const int GatewayCertificateDays = 365;
    private const int GatewayCaDays = 3650;

    private readonly string _certificates;
    private readonly HashSet<string> _tunnels;

    private UpDeviceProof(string certificates, IEnumerable<string> tunnels, string gatewayCaPath)
    {
        _certificates = certificates;
        _tunnels = new HashSet<string>(tunnels, StringComparer.Ordinal);
        GatewayCaPath = gatewayCaPath;
    }

    /// <summary>The CA file a client passes as --gateway-ca (the gateway's certificate chains to it).</summary>
    public string GatewayCaPath { get; }

    /// <summary>Whether <paramref name="p"/>, as loaded by <see cref="Load"/>, runs with the device certificate required.</summary>
    public bool Proves(Phase1Interface p) => _tunnels.Contains(p.Name) && p.ZtnaUidProof;

    /// <summary>The seed's shape, which the proof replaces: ztna, a pre-shared key, EAP-MSCHAPv2, any peer.</summary>
    public static bool Applies(Phase1Interface p) =>
        p.Type == Phase1Type.Dynamic && p.RemoteGwMatch == RemoteGwMatchMode.Ztna && p.AuthMethod == Phase1AuthMethod.Psk
        && p.Eap && p.EapMethod == EapMethod.MsChapV2 && p.PeerType == PeerType.Any;

    /// <summary>
    /// The proof for <paramref name="config"/>'s ztna phase1s (null, and no error, when none applies): the
    /// gateway CA from <paramref name="dataDirectory"/> (made there on the first start, its key owner-only),
    /// a gateway certificate naming <paramref name="gatewayAddresses"/>, the EMS's endpoint CA as trust anchor.
    /// </summary>
    public static UpDeviceProof? Create(GatewayConfig config, string dataDirectory, string endpointCaPem, IReadOnlyList<IPAddress> gatewayAddresses,
        out string? error)
    {
        error = null;
        var tunnels = config.Phase1Interfaces.Where(Applies).Select(p => p.Name).ToList();
        if (tunnels.Count == 0)
            return null;
        var caPath = Path.GetFullPath(Path.Combine(dataDirectory, GatewayCaFile));
        var keyPath = Path.GetFullPath(Path.Combine(dataDirectory, GatewayCaKeyFile));
        using var ca = OpenOrCreateCa(caPath, keyPath, out error);
        if (ca is null)
            return null;
        using var gateway = CertificateFactory.CreateGateway(ca, "localhost", gatewayAddresses, KeyType.EcdsaP256, DateTimeOffset.UtcNow, GatewayCertificateDays);
        var certificates = new StringBuilder()
            .Append("# Appended by pgate up: the device certificate proves the endpoint (docs/security.md, \"Threat table\").\n")
            .Append(FortiOsCertificateBlock.Ca(EndpointCaName, endpointCaPem))
            .Append(FortiOsCertificateBlock.Local(GatewayCertificateName, gateway.ExportCertificatePem(), PemFiles.PrivateKeyPem(gateway)))
            .Append("config user peer\n    edit ").Append(ConfigPrinter.Quote(DevicePeerName)).Append('\n')
            .Append("        set ca ").Append(ConfigPrinter.Quote(EndpointCaName)).Append("\n    next\nend\n")
            .ToString();
        return new UpDeviceProof(certificates, tunnels, caPath);
    }

    /// <summary>
    /// Reads <paramref name="path"/> and loads it with the proof appended for those of the start's tunnels
    /// that still have the seed's shape (a tunnel removed or changed since is loaded as written).
    /// </summary>
    public GatewayConfig? Load(string path, TextWriter err, ConfigKeyFile? configKey)
    {
        var written = ConfigLoader.Load(path, keyFile: configKey);
        if (written.Config is null)
        {
            foreach (var d in written.Diagnostics)
                err.WriteLine(d.ToString());
            return null;
        }
        var text = File.ReadAllText(path);
        var result = ConfigLoader.Parse(Append(text, written.Config.Phase1Interfaces.Where(p => _tunnels.Contains(p.Name) && Applies(p))), path, keyFile: configKey);
        foreach (var d in result.Diagnostics)
            err.WriteLine(d.ToString());
        return result.Config;
    }

    private string Append(string text, IEnumerable<Phase1Interface> proven)
    {
        var b = new StringBuilder(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
            b.Append('\n');
        b.Append(_certificates).Append("config vpn ipsec phase1-interface\n");
        foreach (var p in proven)
        {
            b.Append("    edit ").Append(ConfigPrinter.Quote(p.Name)).Append('\n')
                .Append("        set authmethod signature\n")
                .Append("        set certificate ").Append(ConfigPrinter.Quote(GatewayCertificateName)).Append('\n')
                .Append("        unset psksecret\n")
                .Append("        set peertype peer\n")
                .Append("        set peer ").Append(ConfigPrinter.Quote(DevicePeerName)).Append('\n')
                .Append("        set eap-cert-auth enable\n")
                .Append("        set ztna-uid-proof enable\n")
                .Append("        set ztna-token-binding enable\n")
                .Append("    next\n");
        }
        return b.Append("end\n").ToString();
    }

    // The CA outlives restarts: clients keep pointing --gateway-ca at its file.
    private static X509Certificate2? OpenOrCreateCa(string caPath, string keyPath, out string? error)
    {
        error = null;
        var haveCa = File.Exists(caPath);
        if (haveCa != File.Exists(keyPath))
        {
            error = $"{(haveCa ? caPath : keyPath)} without {(haveCa ? keyPath : caPath)}: remove it to have a new gateway CA made";
            return null;
        }
        if (!haveCa)
        {
            using var created = CertificateFactory.CreateCa("PostureGate up gateway CA", KeyType.EcdsaP256, DateTimeOffset.UtcNow, GatewayCaDays);
            PemFiles.Write(created, caPath, keyPath);
        }
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            {
                error = $"{keyPath}: readable by others; make it owner-only (chmod 600)";
                return null;
            }
            return X509Certificate2.CreateFromPemFile(caPath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error = $"{caPath}: cannot be used as the gateway CA: {e.Message}";
            return null;
        }
    }
}
