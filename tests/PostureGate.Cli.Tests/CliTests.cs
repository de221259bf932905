using System.CommandLine;
using PostureGate.Config;

namespace PostureGate.Cli.Tests;

/// <summary>The pgate commands run in-process with captured output.</summary>
public sealed class CliTests : IDisposable
{
    // `config show` seals secrets with the key in its data directory: one per test, not the working directory's.
    private readonly string _data = Path.Combine(Path.GetTempPath(), "pgate-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
            Directory.Delete(_data, recursive: true);
    }

    private static readonly string Root = FindRoot();
    private static readonly string Example = Path.Combine(Root, "examples", "dialup.conf");
    private static readonly string Invalid = Path.Combine(Root, "tests", "PostureGate.Config.Tests", "Fixtures", "invalid");

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Program.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void CheckOfTheExampleExitsZero()
    {
        var (exit, output, _) = Run("config", "check", "--no-host", Example);
        Assert.Equal(0, exit);
        // The seed's `set save-password enable`, twice: accepted, with a warning that it does nothing here.
        Assert.Equal(
            [
                $"{Example}:114:27: warning: 'save-password enable' has no effect in PostureGate: no client it serves is told it may keep the password",
                $"{Example}:146:27: warning: 'save-password enable' has no effect in PostureGate: no client it serves is told it may keep the password",
                $"{Example}: OK (2 warnings)",
            ],
            Lines(output));
    }

    [Fact]
    public void CheckOfAnInvalidFilePrintsItsDiagnosticsAndExitsOne()
    {
        var file = Path.Combine(Invalid, "attr-typo.conf");
        var (exit, output, _) = Run("config", "check", "--no-host", file);
        Assert.Equal(1, exit);
        Assert.Equal(
            [
                $"{file}:28:13: error: unknown attribute 'dpd-retryintervall' in 'vpn ipsec phase1-interface'; did you mean 'dpd-retryinterval'?",
                $"{file}: 1 error, 0 warnings",
            ],
            Lines(output));
    }

    [Fact]
    public void SeveralFilesAreCheckedIndependently()
    {
        var bad = Path.Combine(Invalid, "range-reversed.conf");
        var (exit, output, _) = Run("config", "check", "--no-host", Example, bad);
        Assert.Equal(1, exit);
        var lines = Lines(output);
        Assert.Equal($"{Example}: OK (2 warnings)", lines[2]);
        Assert.Equal($"{bad}: 1 error, 0 warnings", lines[^1]);
    }

    [Fact]
    public void ShowOutputReparsesToTheSameModel()
    {
        var (exit, output, _) = Run("config", "show", "--show-secrets", Example);
        Assert.Equal(0, exit);
        Assert.Equal(ConfigLoader.Load(Example).Config, ConfigLoader.Parse(output, "shown.conf").Config);
    }

    [Fact]
    public void ShowWithAPathPrintsOnlyThatTable()
    {
        var (exit, output, _) = Run("config", "show", "--data", _data, Example, "vpn", "ipsec", "phase1-interface");
        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Equal("config vpn ipsec phase1-interface", lines[0]);
        Assert.Equal("end", lines[^1]);
        Assert.Equal(["    edit \"dialup\"", "    edit \"FCT_EMS_TAG_ph2\""], lines.Where(l => l.StartsWith("    edit", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("        set psksecret ENC ", StringComparison.Ordinal) && !l.EndsWith("****", StringComparison.Ordinal)));
    }

    private string Write(string name, string text)
    {
        Directory.CreateDirectory(_data);
        var path = Path.Combine(_data, name);
        File.WriteAllText(path, text);
        return path;
    }

    // `config show > backup.conf` restores on this machine (secrets sealed with the key in the
    // data directory, as a FortiGate's backup with its device key); elsewhere each says why not.
    [Fact]
    public void ShowOfTheExampleIsAFixedPointThatCheckAccepts()
    {
        var data = Path.Combine(_data, "data");
        var (exit, shown, error) = Run("config", "show", "--data", data, Example);
        Assert.Equal((0, ""), (exit, error));
        Assert.DoesNotContain("example-dialup-psk", shown);
        Assert.DoesNotContain("****", shown);
        var backup = Write("backup.conf", shown);

        var (checkExit, checkOut, _) = Run("config", "check", "--no-host", "--data", data, backup);
        Assert.Equal(0, checkExit);
        Assert.EndsWith($"{backup}: OK (2 warnings)", checkOut.Trim(), StringComparison.Ordinal);

        var (againExit, again, _) = Run("config", "show", "--data", data, backup);
        Assert.Equal(0, againExit);
        Assert.Equal(shown, again);
        // The clear values survive the round trip.
        var (_, clear, _) = Run("config", "show", "--show-secrets", "--data", data, backup);
        Assert.Contains("        set psksecret \"example-dialup-psk\"", clear);
    }

    [Fact]
    public void ABackupFromAnotherMachineSaysWhyEachSecretCannotBeRead()
    {
        var (_, shown, _) = Run("config", "show", "--data", Path.Combine(_data, "here"), Example);
        var backup = Write("backup.conf", shown);
        Run("config", "show", "--data", Path.Combine(_data, "there"), Example);

        var (exit, output, _) = Run("config", "check", "--no-host", "--data", Path.Combine(_data, "there"), backup);
        Assert.Equal(1, exit);
        var lines = shown.ReplaceLineEndings("\n").Split('\n');
        var expected = lines.Select((l, i) => (l, i)).Where(x => x.l.Contains(" ENC ", StringComparison.Ordinal))
            .Select(x => $"{backup}:{x.i + 1}:{x.l.IndexOf("ENC", StringComparison.Ordinal) + 1}: error: cannot read the encrypted '")
            .ToArray();
        Assert.Equal(6, expected.Length);
        var errors = output.ReplaceLineEndings("\n").Split('\n').Where(l => l.Contains(": error: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(expected.Length, errors.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], errors[i], StringComparison.Ordinal);
            Assert.Contains("it was encrypted with another machine's key", errors[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ShowWithDefaultsAddsDefaultAttributes()
    {
        var (_, plain, _) = Run("config", "show", "--data", _data, Example, "vpn", "ipsec", "phase2-interface", "DY");
        var (_, full, _) = Run("config", "show", "--data", _data, "--with-defaults", Example, "vpn", "ipsec", "phase2-interface", "DY");
        Assert.DoesNotContain("keylifeseconds", plain);
        Assert.Contains("        set keylifeseconds 43200", Lines(full));
        Assert.Contains("        set pfs enable", Lines(full));
    }

    [Fact]
    public void ShowOfAnUnknownPathFails()
    {
        var (exit, _, error) = Run("config", "show", "--data", _data, Example, "vpn", "ssl", "settings");
        Assert.Equal(1, exit);
        Assert.StartsWith("unknown configuration path 'vpn ssl settings'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionPrintsTheAssemblyVersion()
    {
        var (exit, output, _) = Run("--version");
        Assert.Equal(0, exit);
        Assert.Equal(Program.Version, output.Trim());
    }

    [Theory]
    [InlineData("config")]
    [InlineData("config", "check")]
    [InlineData("config", "show")]
    [InlineData("up")]
    public void EveryCommandHasHelp(params string[] command)
    {
        var (exit, output, _) = Run([.. command, "--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public void UpSummarisesTheConfiguration()
    {
        var (exit, output, _) = Run("up", "--check", "--config", Example);
        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Contains("tunnels (2):", lines);
        Assert.Contains("  dialup: 10.212.134.200-10.212.134.254", lines);
        Assert.Contains("  FCT_EMS_TAG_ph2: 10.139.1.2-10.139.1.20", lines);
        Assert.Contains("EMS connectors (2):", lines);
        Assert.Contains("policies (1):", lines);
    }

    [Fact]
    public void UpFailsOnAnInvalidConfiguration()
    {
        var (exit, _, error) = Run("up", "--config", Path.Combine(Invalid, "psk-missing.conf"));
        Assert.Equal(1, exit);
        Assert.Contains("'set psksecret' is required", error);
    }

    [Fact]
    public void LocatorWalksUpFromTheExecutableDirectory()
    {
        var nested = Path.Combine(Root, "src", "PostureGate.Cli", "bin", "Debug", "net10.0");
        var found = ConfigLocator.Find(workingDirectory: Path.GetTempPath(), baseDirectory: nested);
        Assert.Equal(Path.GetFullPath(Example), Path.GetFullPath(found!));
        Assert.Equal(Path.GetFullPath(Example), Path.GetFullPath(ConfigLocator.Find(workingDirectory: Root, baseDirectory: "/")!));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PostureGate.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }
}
