// pgate: the one executable of PostureGate. Each role contributes its commands;
// this file only composes them.
using System.CommandLine;
using System.Reflection;
using PostureGate.Cli.Commands;

namespace PostureGate.Cli;

public static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    internal static RootCommand BuildRoot()
    {
        var root = new RootCommand("PostureGate: a posture-aware IKEv2 dial-up VPN gateway");
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(Commands.Cert.CertCommand.Create());
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(PostureGate.Gateway.GatewayCommand.Create());
        root.Subcommands.Add(PostureGate.Gateway.Diagnose.DiagnoseCommand.Create());
        root.Subcommands.Add(PostureGate.Ems.EmsCommand.Create());
        root.Subcommands.Add(PostureGate.Client.ClientCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        HelpNames.Apply(root);
        return root;
    }

    internal static string Version =>
        typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
