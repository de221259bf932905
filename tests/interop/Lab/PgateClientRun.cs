using System.Text.Json;
using PostureGate.Client;

namespace PostureGate.Interop.Tests.Lab;

/// <summary>
/// A <c>pgate client connect</c> left running in the client namespace (no --once): its output so
/// far and the session it writes to its status file. Disposing kills it; <c>lab.sh down</c>
/// would anyway.
/// </summary>
public sealed class PgateClientRun : IDisposable
{
    private readonly LabProcess _process;

    internal PgateClientRun(LabProcess process, string statusFile)
    {
        _process = process;
        StatusFile = statusFile;
    }

    public string StatusFile { get; }

    public string Output => _process.OutputSoFar;

    public Task<CommandResult> Completion => _process.Completion;

    /// <summary>The session as `pgate client status --json` would print it; null before the first write.</summary>
    public ClientStatus? ReadStatus()
    {
        try
        {
            return File.Exists(StatusFile) ? JsonSerializer.Deserialize<ClientStatus>(File.ReadAllText(StatusFile)) : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null; // caught mid-write: the next poll reads it whole
        }
    }

    /// <summary>SIGTERM, as a service manager stops it: the client should say goodbye (DELETE).</summary>
    public void Terminate()
    {
        if (!_process.Completion.IsCompleted)
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    /// <summary>SIGINT, as Ctrl-C in the client's terminal: must end the session as SIGTERM does.</summary>
    public void Interrupt()
    {
        if (!_process.Completion.IsCompleted)
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-INT", _process.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    public void Dispose() => _process.Kill();
}
