// Running a host tool: iproute2's `ip` (ip(8): links, addresses, routes) and nftables' `nft`
// (nft(8)), the way strongSwan's kernel-net plugins reach the routing table. Control plane
// only (start, reload, connect), never per packet. The one runner: every layer that sets up
// the host calls these, so the argument handling, the error text and the "not installed" hint
// are the same everywhere.
using System.ComponentModel;
using System.Diagnostics;

namespace PostureGate.Platform;

/// <summary>What a host command did: its exit code, its standard output and its trimmed standard error.</summary>
public readonly record struct HostCommandResult(string CommandLine, int ExitCode, string Output, string Error)
{
    /// <summary>The exit code a shell gives a program it cannot find.</summary>
    public const int NotFound = 127;

    public bool Succeeded => ExitCode == 0;

    /// <summary>One line for a log or an error: the command and why it failed.</summary>
    public override string ToString() => Succeeded ? CommandLine : $"{CommandLine}: {Error}";
}

public static class HostCommand
{
    /// <summary>`ip [-n NAMESPACE] ARGUMENTS…` (iproute2); a null namespace is this process's own.</summary>
    public static HostCommandResult Ip(string? networkNamespace, params string[] arguments) =>
        Run("ip", "iproute2", networkNamespace is null ? arguments : ["-n", networkNamespace, .. arguments]);

    public static Task<HostCommandResult> IpAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync("ip", "iproute2", arguments, null, cancellationToken);

    /// <summary>`nft -f -` with <paramref name="script"/> on standard input (nftables).</summary>
    public static Task<HostCommandResult> NftAsync(string script, CancellationToken cancellationToken) =>
        RunAsync("nft", "nftables", ["-f", "-"], script, cancellationToken);

    private static HostCommandResult Run(string program, string package, IReadOnlyList<string> arguments) =>
        RunAsync(program, package, arguments, null, CancellationToken.None).GetAwaiter().GetResult();

    private static async Task<HostCommandResult> RunAsync(string program, string package, IReadOnlyList<string> arguments,
        string? input, CancellationToken cancellationToken)
    {
        var commandLine = $"{program} {string.Join(' ', arguments)}";
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start) ?? throw new Win32Exception($"cannot start {program}");
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            // Both pipes at once: a full one would block the tool while we wait on the other.
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await Task.WhenAll(output, error).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return new HostCommandResult(commandLine, process.ExitCode, output.Result, error.Result.Trim());
        }
        catch (Win32Exception ex)
        {
            return new HostCommandResult(commandLine, HostCommandResult.NotFound, "", $"{program} not found ({ex.Message}); install {package}");
        }
    }
}
