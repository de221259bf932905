// The Debian package of packaging/deb/build.sh (docs/deploy.md): it builds, installs with
// dpkg, its /usr/bin/pgate runs, its systemd units pass `systemd-analyze verify`, it purges.
using PostureGate.Interop.Tests.Lab;

namespace PostureGate.Interop.Tests.Packaging;

public sealed class DebPackageTests : IDisposable
{
    private const string Package = "posturegate";
    private static readonly string[] Units = ["posturegate-gateway.service", "posturegate-ems.service", "posturegate-client.service"];
    private readonly string _out = Directory.CreateTempSubdirectory("pgdeb").FullName;
    private bool _installed;

    public void Dispose()
    {
        if (_installed)
            LabProcess.RunAsync("dpkg", ["--purge", Package], TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        Directory.Delete(_out, recursive: true);
    }

    [SkippableFact]
    public async Task The_package_builds_installs_runs_verifies_its_units_and_purges()
    {
        EnsureOrSkip();
        var installedBefore = await LabProcess.RunAsync("dpkg-query", ["-W", "-f=${Status}", Package], TimeSpan.FromSeconds(30));
        Assert.False(installedBefore.Output.Contains("install ok installed", StringComparison.Ordinal),
            $"{Package} is already installed on this machine; this test installs and purges it, so it will not touch that one");

        var build = await LabProcess.RunAsync("bash", [Path.Combine(RepositoryRoot(), "packaging", "deb", "build.sh"), _out], TimeSpan.FromMinutes(20));
        Assert.True(build.ExitCode == 0, "build.sh failed:\n" + build.Output);
        var deb = Assert.Single(Directory.GetFiles(_out, "*.deb"));

        var install = await LabProcess.RunAsync("dpkg", ["-i", deb], TimeSpan.FromMinutes(5));
        _installed = true;
        Assert.True(install.ExitCode == 0, "dpkg -i failed:\n" + install.Output);

        var version = await LabProcess.RunAsync("/usr/bin/pgate", ["--version"], TimeSpan.FromMinutes(1));
        Assert.True(version.ExitCode == 0, version.Output);
        Assert.StartsWith(ProjectVersion(), version.Output.Trim(), StringComparison.Ordinal);
        Assert.True(File.Exists("/etc/posturegate/gateway.conf.example"), "the example configuration is installed");
        Assert.True(File.Exists("/usr/share/bash-completion/completions/pgate"), "the bash completion hook is installed (issue 13)");

        // verify loads each unit as systemd would (unknown keys, bad values, missing
        // executables); it prints warnings without failing, so its output must be empty too.
        var units = Units.Select(u => Path.Combine("/lib/systemd/system", u)).ToArray();
        var verify = await LabProcess.RunAsync("systemd-analyze", ["verify", .. units], TimeSpan.FromMinutes(2));
        Assert.True(verify.ExitCode == 0 && verify.Output.Trim().Length == 0, "systemd-analyze verify:\n" + verify.Output);
        var gateway = File.ReadAllText(units[0]);
        Assert.Contains("--data /var/lib/posturegate", gateway, StringComparison.Ordinal);
        Assert.Contains("CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE", gateway, StringComparison.Ordinal);

        var purge = await LabProcess.RunAsync("dpkg", ["--purge", Package], TimeSpan.FromMinutes(2));
        _installed = false;
        Assert.True(purge.ExitCode == 0, "dpkg --purge failed:\n" + purge.Output);
        Assert.False(File.Exists("/usr/bin/pgate"), "/usr/bin/pgate is gone after purge");
        Assert.False(Directory.Exists("/etc/posturegate"), "/etc/posturegate is gone after purge");
    }

    private static void EnsureOrSkip()
    {
        LabRequirements.EnsureToolOrSkip("dpkg-deb", "dpkg");
        LabRequirements.EnsureToolOrSkip("systemd-analyze", "systemd");
        if (!Environment.IsPrivilegedProcess)
        {
            var message = "not running as root (dpkg -i needs it)";
            if (LabRequirements.Required)
                throw new InvalidOperationException($"{LabRequirements.RequireVariable}=1 forbids skipping: {message}");
            Skip.If(true, message);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PostureGate.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("no PostureGate.slnx above " + AppContext.BaseDirectory);
    }

    private static string ProjectVersion()
    {
        var props = File.ReadAllText(Path.Combine(RepositoryRoot(), "Directory.Build.props"));
        var start = props.IndexOf("<Version>", StringComparison.Ordinal) + "<Version>".Length;
        return props[start..props.IndexOf("</Version>", start, StringComparison.Ordinal)];
    }
}
