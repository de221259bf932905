// The `config vpn certificate ca` / `local` blocks `pgate cert` prints, in the form the
// configuration reads (PEM inside multi-line quoted strings, as a FortiOS backup holds it).
using System.Text;
using PostureGate.Config.Printing;

namespace PostureGate.Cli.Commands.Cert;

internal static class FortiOsCertificateBlock
{
    public static string Ca(string name, string certificatePem) =>
        new StringBuilder()
            .Append("config vpn certificate ca\n")
            .Append("    edit ").Append(ConfigPrinter.Quote(name)).Append('\n')
            .Append("        set ca ").Append(ConfigPrinter.Quote(certificatePem.TrimEnd('\n'))).Append('\n')
            .Append("    next\nend\n")
            .ToString();

    public static string Local(string name, string certificatePem, string privateKeyPem) =>
        new StringBuilder()
            .Append("config vpn certificate local\n")
            .Append("    edit ").Append(ConfigPrinter.Quote(name)).Append('\n')
            .Append("        set private-key ").Append(ConfigPrinter.Quote(privateKeyPem.TrimEnd('\n'))).Append('\n')
            .Append("        set certificate ").Append(ConfigPrinter.Quote(certificatePem.TrimEnd('\n'))).Append('\n')
            .Append("    next\nend\n")
            .ToString();
}
