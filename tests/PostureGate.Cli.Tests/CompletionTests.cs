// Shell completion (issue 13): System.CommandLine's [suggest] directive answers for commands,
// options and the diagnose words; packaging/bash-completion/pgate hands bash's line to it.
using System.CommandLine;
using System.Diagnostics;

namespace PostureGate.Cli.Tests;

public sealed class CompletionTests
{
    private static string[] Complete(string line) =>
        [.. Program.BuildRoot().Parse(line).GetCompletions(line.Length).Select(c => c.Label)];

    [Theory]
    [InlineData("diagnose ", new[] { "debug", "endpoint", "firewall", "posture", "vpn" })]
    [InlineData("diagnose vpn ", new[] { "ike", "ipsec", "tunnel" })]
    [InlineData("diagnose vpn ike gateway ", new[] { "clear", "list" })]
    [InlineData("diagnose endpoint e", new[] { "ec-shm" })]
    [InlineData("diagnose debug application ", new[] { "ike" })]
    public void Diagnose_completes_the_next_word_of_a_command(string line, string[] words)
    {
        var offered = Complete(line).Where(c => !c.StartsWith('-') && !c.StartsWith('/')).ToArray();

        Assert.Equal(words, offered);
    }

    [Fact]
    public void Commands_and_options_complete()
    {
        Assert.Contains("diagnose", Complete("dia"));
        Assert.Contains("--audit-log", Complete("gateway --au"));
    }

    /// <summary>The bash script as bash runs it, against this build's pgate (a function standing in for the installed one).</summary>
    [Fact]
    public void Bash_script_completes_through_the_suggest_directive()
    {
        var script = Path.Combine(RepoRoot(), "packaging", "bash-completion", "pgate");
        var pgate = Path.Combine(AppContext.BaseDirectory, "pgate.dll");
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("""
            pgate() { dotnet "$PGATE_DLL" "$@"; }
            source "$1"
            COMP_LINE='pgate diagnose endpoint '; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(pgate diagnose endpoint ''); COMP_CWORD=3
            _pgate
            printf '%s\n' "${COMPREPLY[@]}"
            complete -p pgate
            """);
        psi.ArgumentList.Add("bash");
        psi.ArgumentList.Add(script);
        psi.Environment["PGATE_DLL"] = pgate;
        using var bash = Process.Start(psi)!;
        var output = bash.StandardOutput.ReadToEnd();
        var errors = bash.StandardError.ReadToEnd();
        bash.WaitForExit();

        Assert.True(bash.ExitCode == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("ec-shm", lines);
        Assert.Contains("fctems", lines);
        Assert.Contains("complete -o default -F _pgate pgate", lines);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "packaging", "bash-completion", "pgate")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("packaging/bash-completion/pgate not found above " + AppContext.BaseDirectory);
    }
}
