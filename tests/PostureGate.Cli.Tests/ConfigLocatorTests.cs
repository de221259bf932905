// Where pgate looks for examples/dialup.conf without --config: the working directory first, then up
// from the executable's directory; nowhere is null, not a guess.
namespace PostureGate.Cli.Tests;

public sealed class ConfigLocatorTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("pgate-locator");

    public void Dispose() => _root.Delete(recursive: true);

    private string Example(string under)
    {
        var path = Path.Combine(_root.FullName, under, ConfigLocator.DefaultRelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    [Fact]
    public void TheWorkingDirectoryComesFirst()
    {
        var cwd = Example("cwd");
        Example("app");
        var bin = Directory.CreateDirectory(Path.Combine(_root.FullName, "app", "bin", "Debug")).FullName;

        Assert.Equal(cwd, ConfigLocator.Find(Path.Combine(_root.FullName, "cwd"), bin));
    }

    [Fact]
    public void ElseTheNearestAboveTheExecutable()
    {
        var app = Example("app");
        var bin = Directory.CreateDirectory(Path.Combine(_root.FullName, "app", "bin", "Debug")).FullName;
        var empty = Directory.CreateDirectory(Path.Combine(_root.FullName, "elsewhere")).FullName;

        Assert.Equal(app, ConfigLocator.Find(empty, bin));
    }

    [Fact]
    public void NowhereIsNull()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_root.FullName, "elsewhere")).FullName;

        Assert.Null(ConfigLocator.Find(empty, empty));
    }
}
