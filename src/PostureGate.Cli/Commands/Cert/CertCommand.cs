// `pgate cert`: the certificates native IKEv2 clients need (a CA and the gateway's
// certificate, with the FortiOS `config vpn certificate` block to paste) and client
// profiles made from a checked configuration (Windows PowerShell, Apple .mobileconfig,
// strongSwan-app .sswan). Each refusal is one line on stderr, exit 1, nothing written.
using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PostureGate.Config;

namespace PostureGate.Cli.Commands.Cert;

internal static class CertCommand
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";

    public static Command Create()
    {
        var cert = new Command("cert", "Make the CA and gateway certificate native IKEv2 clients check, and their VPN profiles");
        var ca = new Command("ca", "The certificate authority that signs the gateway's certificate");
        ca.Subcommands.Add(CreateCa());
        cert.Subcommands.Add(ca);
        var gateway = new Command("gateway", "The gateway's own certificate");
        gateway.Subcommands.Add(CreateGateway());
        cert.Subcommands.Add(gateway);
        cert.Subcommands.Add(CreateProfile());
        return cert;
    }

    private static Option<string> DirOption() => new("--dir")
    {
        Description = $"Directory of {CaCertificateFile} and {CaKeyFile} (and the gateway's files)",
        DefaultValueFactory = _ => ".",
    };

    private static Option<string> KeyOption() => new("--key")
    {
        Description = "Key type",
        DefaultValueFactory = _ => KeyTypeNames.Words[0],
    };

    private static Option<int> DaysOption(int days) => new("--days")
    {
        Description = "Validity in days",
        DefaultValueFactory = _ => days,
    };

    private static Command CreateCa()
    {
        var dir = DirOption();
        var name = new Option<string>("--name") { Description = "The CA's common name", DefaultValueFactory = _ => "PostureGate VPN CA" };
        var key = KeyOption();
        var days = DaysOption(3650);
        var create = new Command("create", $"Write {CaCertificateFile} and {CaKeyFile} (owner-only); refuses to overwrite") { dir, name, key, days };
        create.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            if (!TryKeyType(parse.GetValue(key)!, error, out var type) || !TryDays(parse.GetValue(days), error))
                return 1;
            var folder = parse.GetValue(dir)!;
            var certPath = Path.Combine(folder, CaCertificateFile);
            var keyPath = Path.Combine(folder, CaKeyFile);
            if (!TryRefuseExisting(error, certPath, keyPath))
                return 1;
            using var ca = CertificateFactory.CreateCa(parse.GetValue(name)!, type, DateTimeOffset.UtcNow, parse.GetValue(days));
            if (!TryWrite(error, ca, certPath, keyPath))
                return 1;
            output.WriteLine($"# wrote {certPath} and {keyPath} (owner-only). Keep {CaKeyFile} offline once the gateway certificate is made.");
            output.WriteLine("# Give clients ca.crt (or the profiles of `pgate cert profile … --ca ca.crt`). Only if this CA also issues");
            output.WriteLine("# peer certificates (config user peer), paste this into the gateway's configuration:");
            output.Write(FortiOsCertificateBlock.Ca("PostureGate_CA", ca.ExportCertificatePem()));
            return 0;
        });
        return create;
    }

    private static Command CreateGateway()
    {
        var dir = DirOption();
        var name = new Option<string>("--name") { Description = "The DNS name clients dial (the certificate's CN and SAN)", Required = true };
        var ip = new Option<string[]>("--ip") { Description = "An address clients may dial instead (SAN IP); repeatable", AllowMultipleArgumentsPerToken = false };
        var key = KeyOption();
        var days = DaysOption(397);
        var create = new Command("create", "Sign the gateway's certificate with the CA of --dir and print the FortiOS block to paste") { dir, name, ip, key, days };
        create.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            if (!TryKeyType(parse.GetValue(key)!, error, out var type) || !TryDays(parse.GetValue(days), error))
                return 1;
            var dnsName = parse.GetValue(name)!.TrimEnd('.');
            if (Uri.CheckHostName(dnsName) != UriHostNameType.Dns || !dnsName.Contains('.'))
            {
                error.WriteLine($"pgate cert gateway create: --name '{dnsName}' is not a DNS name such as vpn.example.com (an address goes in --ip)");
                return 1;
            }
            var addresses = new List<IPAddress>();
            foreach (var text in parse.GetValue(ip) ?? [])
            {
                if (!IPAddress.TryParse(text, out var a) || (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && a.ToString() != text))
                {
                    error.WriteLine($"pgate cert gateway create: --ip '{text}' is not an IP address");
                    return 1;
                }
                addresses.Add(a);
            }
            var folder = parse.GetValue(dir)!;
            if (!TryLoadCa(folder, error, out var ca))
                return 1;
            using (ca)
            {
                var certPath = Path.Combine(folder, dnsName + ".crt");
                var keyPath = Path.Combine(folder, dnsName + ".key");
                if (!TryRefuseExisting(error, certPath, keyPath))
                    return 1;
                using var gateway = CertificateFactory.CreateGateway(ca!, dnsName, addresses, type, DateTimeOffset.UtcNow, parse.GetValue(days));
                if (!TryWrite(error, gateway, certPath, keyPath))
                    return 1;
                var local = dnsName.Length <= 35 ? dnsName : dnsName[..35];
                output.WriteLine($"# wrote {certPath} and {keyPath} (owner-only). Paste this into the gateway's configuration;");
                output.WriteLine("# `pgate config show` prints the key sealed (ENC) from then on. In the phase1-interface:");
                output.WriteLine($"#     set authmethod signature");
                output.WriteLine($"#     set certificate \"{local}\"");
                output.Write(FortiOsCertificateBlock.Local(local, gateway.ExportCertificatePem(), PemFiles.PrivateKeyPem(gateway)));
            }
            return 0;
        });
        return create;
    }

    private static Command CreateProfile()
    {
        var kind = new Argument<string>("KIND") { Description = "windows (PowerShell script), apple (.mobileconfig) or sswan (strongSwan app)" };
        kind.AcceptOnlyFromAmong("windows", "apple", "sswan");
        var gateway = new Option<string>("--gateway") { Description = "The name (or address) clients dial: the gateway certificate's SAN", Required = true, HelpName = "HOST" };
        var config = new Option<string>("--config") { Description = "The gateway's configuration; the profile offers its proposals", Required = true };
        var tunnel = new Option<string?>("--tunnel") { Description = "The phase1-interface (default: the only one with eap enable)" };
        var ca = new Option<string?>("--ca") { Description = "The CA certificate (PEM) to install with the profile" };
        var profile = new Command("profile", "Print a client VPN profile whose proposals the gateway's configuration accepts") { kind, gateway, config, tunnel, ca };
        profile.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            const string Me = "pgate cert profile";
            var file = parse.GetValue(config)!;
            var result = ConfigLoader.Load(file);
            if (result.Config is null)
            {
                DiagnosticWriter.Write(error, result.Diagnostics);
                DiagnosticWriter.WriteSummary(error, file, result);
                return 1;
            }
            if (!ClientTunnel.TryFind(result.Config, parse.GetValue(tunnel), deviceCertificateRound: parse.GetValue(kind) == "sswan", out var t, out var why))
            {
                error.WriteLine($"{Me}: {why}");
                return 1;
            }
            var host = parse.GetValue(gateway)!;
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            {
                error.WriteLine($"{Me}: --gateway '{host}' is neither a DNS name nor an IP address");
                return 1;
            }
            X509Certificate2? caCert = null;
            if (parse.GetValue(ca) is { } caPath && !TryReadCertificate(caPath, error, out caCert))
                return 1;
            using (caCert)
            {
                var connection = $"PostureGate {host}";
                switch (parse.GetValue(kind))
                {
                    case "windows":
                        if (!WindowsIpsecValues.TryChoose(t!, out var values, out why))
                        {
                            error.WriteLine($"{Me}: {why}");
                            return 1;
                        }
                        output.Write(WindowsProfile.Script(t!, values!, host, connection, caCert?.ExportCertificatePem()));
                        return 0;
                    case "apple":
                        if (!AppleProfile.TryBuild(t!, host, connection, caCert, out var xml, out why))
                        {
                            error.WriteLine($"{Me}: {why}");
                            return 1;
                        }
                        output.Write(xml);
                        return 0;
                    default:
                        output.Write(SswanProfile.Build(t!, host, connection, caCert));
                        return 0;
                }
            }
        });
        return profile;
    }

    private static bool TryKeyType(string word, TextWriter error, out KeyType type)
    {
        if (KeyTypeNames.TryParse(word, out type))
            return true;
        error.WriteLine($"pgate cert: --key must be one of {string.Join(", ", KeyTypeNames.Words)}, not '{word}'");
        return false;
    }

    private static bool TryDays(int days, TextWriter error)
    {
        if (days is >= 1 and <= 36500)
            return true;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pgate cert: --days must be between 1 and 36500, not {days}"));
        return false;
    }

    private static bool TryRefuseExisting(TextWriter error, params string[] paths)
    {
        if (PemFiles.FirstExisting(paths) is not { } existing)
            return true;
        error.WriteLine($"pgate cert: {existing} exists; not overwriting it (move it away first)");
        return false;
    }

    private static bool TryWrite(TextWriter error, X509Certificate2 cert, string certPath, string keyPath)
    {
        try
        {
            PemFiles.Write(cert, certPath, keyPath);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"pgate cert: cannot write {keyPath} / {certPath}: {ex.Message}");
            return false;
        }
    }

    private static bool TryLoadCa(string folder, TextWriter error, out X509Certificate2? ca)
    {
        ca = null;
        var certPath = Path.Combine(folder, CaCertificateFile);
        var keyPath = Path.Combine(folder, CaKeyFile);
        try
        {
            ca = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"pgate cert gateway create: cannot read the CA ({certPath}, {keyPath}): {ex.Message.TrimEnd('.')}; make one with `pgate cert ca create`");
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            error.WriteLine($"pgate cert gateway create: {certPath} and {keyPath} are not a PEM certificate and its private key");
        }
        return false;
    }

    private static bool TryReadCertificate(string path, TextWriter error, out X509Certificate2? cert)
    {
        cert = null;
        try
        {
            // A PEM certificate is a few kilobytes; a larger file is not one.
            if (new FileInfo(path).Length > 65536)
                throw new CryptographicException();
            cert = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"pgate cert profile: cannot read --ca {path}: {ex.Message}");
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            error.WriteLine($"pgate cert profile: --ca {path} is not a PEM certificate");
        }
        return false;
    }
}
