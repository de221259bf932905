using System.Diagnostics;
using System.Text;

namespace PostureGate.Interop.Tests.Lab;

/// <summary>Child processes of the harness: output captured asynchronously (a full pipe never
/// blocks the child), every run bounded, the whole process tree killed on timeout.</summary>
internal sealed class LabProcess
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _combined = new();
    private readonly string _commandLine;
    private readonly Task<CommandResult> _completion;

    public int ProcessId { get; }

    /// <summary>Completes when the process exits or was killed after its timeout; never throws.</summary>
    public Task<CommandResult> Completion => _completion;

    public static LabProcess Start(string fileName, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }
        var commandLine = fileName + " " + string.Join(' ', psi.ArgumentList);
        var process = new Process { StartInfo = psi };
        return new LabProcess(process, commandLine, timeout);
    }

    private LabProcess(Process process, string commandLine, TimeSpan timeout)
    {
        _process = process;
        _commandLine = commandLine;
        process.OutputDataReceived += (_, e) => Append(e.Data, toStdout: true);
        process.ErrorDataReceived += (_, e) => Append(e.Data, toStdout: false);
        process.Start();
        ProcessId = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Nothing reads stdin: EOF at once, so no child waits for a terminal.
        process.StandardInput.Close();
        _completion = CompleteAsync(timeout);
    }

    /// <summary>stdout and stderr received so far, for a process that is still running
    /// (a daemon's startup banner, a streamed debug log).</summary>
    public string OutputSoFar
    {
        get
        {
            lock (_combined)
            {
                return _combined.ToString();
            }
        }
    }

    public static Task<CommandResult> RunAsync(string fileName, IEnumerable<string> args, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Start(fileName, args, timeout, environment).Completion;

    /// <summary>Stops the process (and its descendants) now; Completion then reports it.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // Already exited and reaped.
        }
    }

    private void Append(string? line, bool toStdout)
    {
        if (line is null)
        {
            return;
        }
        lock (_combined)
        {
            if (toStdout)
            {
                _stdout.AppendLine(line);
            }
            _combined.AppendLine(line);
        }
    }

    private async Task<CommandResult> CompleteAsync(TimeSpan timeout)
    {
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                Kill();
            }
        }
        if (timedOut)
        {
            // A grandchild that escaped the kill may still hold the pipes: wait for EOF, bounded.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        var exitCode = _process.HasExited && !timedOut ? _process.ExitCode : -1;
        string stdout, combined;
        lock (_combined)
        {
            stdout = _stdout.ToString();
            combined = _combined.ToString();
        }
        _process.Dispose();
        return new CommandResult(_commandLine, exitCode, timedOut, stdout, combined);
    }
}
