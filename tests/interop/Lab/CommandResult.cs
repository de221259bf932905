namespace PostureGate.Interop.Tests.Lab;

/// <summary>What one harness command did: exit code (-1 when it was killed on timeout), its
/// stdout, and stdout+stderr interleaved in arrival order for failure messages.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, bool TimedOut, string StdOut, string Output)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    public override string ToString() =>
        $"$ {CommandLine}\n(exit {ExitCode}{(TimedOut ? ", killed on timeout" : "")})\n{Output}";
}
