// pgate as a user runs it: this build's pgate.dll in its own process (`dotnet pgate.dll …`),
// stdout and stderr collected together, signals sent as a terminal or a service manager would.
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace PostureGate.Cli.Tests;

/// <summary>pgate.dll of this build run by `dotnet`, stdout and stderr collected together.</summary>
internal sealed class PgateProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PgateProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <param name="pgateDll">Another build's pgate.dll (default: the one beside the tests).</param>
    public static PgateProcess Start(string cwd, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? pgateDll = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(pgateDll ?? Path.Combine(AppContext.BaseDirectory, "pgate.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("PGATE_CONTROL");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;
        var p = new PgateProcess(new Process { StartInfo = psi });
        p._process.OutputDataReceived += (_, e) => p.Append(e.Data);
        p._process.ErrorDataReceived += (_, e) => p.Append(e.Data);
        p._process.Start();
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        p._process.StandardInput.Close();
        return p;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    public async Task WaitForAsync(string marker)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!Output.Contains(marker, StringComparison.Ordinal))
        {
            Assert.False(_process.HasExited, "exited before printing '" + marker + "':\n" + Output);
            await Task.Delay(100, limit.Token);
        }
    }

    public async Task<(int Exit, string Output)> ExitAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _process.WaitForExitAsync(limit.Token);
        _process.WaitForExit(); // drains the output events
        return (_process.ExitCode, Output);
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal.</summary>
    public void Interrupt() => Signal("-INT");

    /// <summary>SIGHUP, as a service manager's reload or logrotate's postrotate.</summary>
    public void Hangup() => Signal("-HUP");

    private void Signal(string signal)
    {
        if (!_process.HasExited)
            using (var kill = Process.Start("kill", [signal, _process.Id.ToString(CultureInfo.InvariantCulture)]))
                kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
