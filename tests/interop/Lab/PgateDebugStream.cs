namespace PostureGate.Interop.Tests.Lab;

/// <summary>
/// <c>pgate diagnose debug enable</c> attached to the lab's gateway: FortiOS's `diagnose debug
/// application ike -1` stream ("EMS ZTNA tags check success …"), collected while the test runs.
/// Disposing hangs it up.
/// </summary>
public sealed class PgateDebugStream : IDisposable
{
    private readonly LabProcess _process;

    internal PgateDebugStream(LabProcess process) => _process = process;

    /// <summary>Every line streamed so far.</summary>
    public string Text => _process.OutputSoFar;

    internal Task<CommandResult> Completion => _process.Completion;

    public void Dispose() => _process.Kill();
}
