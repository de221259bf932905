// `pgate --version`: pgate's own version, not the entry assembly's (the test host in-process) — PostureGate's own CLI.
using System.CommandLine;
using System.CommandLine.Invocation;

namespace PostureGate.Cli.Commands;

/// <summary>
/// `pgate --version`: prints pgate's own version. The default action reports the
/// entry assembly, which is the test host when the commands run in-process.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Program.Version);
        return 0;
    }
}
