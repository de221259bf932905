// Running pgate (its build output, copied to pgate-app/ beside the tests) as a child process: short commands to completion, output kept.
using System.Diagnostics;

namespace PostureGate.Web.Tests.Ems;

public static class PgateRun
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    /// <summary>pgate's own build output, copied whole by the project (PostureGate.Web.Tests.csproj, CopyPgateApp).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "pgate-app", "pgate.dll");

    /// <summary>The dotnet host running these tests (testhost is started by it), else dotnet on PATH.</summary>
    public static string Dotnet => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Dotnet)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>Runs `pgate ARGS` to its end; throws with its output when it fails or outlives the timeout.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"pgate {string.Join(' ', args)} did not finish in {CommandTimeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pgate {string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
