using System.Text;
using PostureGate.Config.Printing;
using PostureGate.Config.Secrets;

namespace PostureGate.Config.Tests.Secrets;

/// <summary>ENC secrets: sealed with this machine's key, read back here, refused (with the reason) elsewhere.</summary>
public sealed class ConfigKeyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pgate-key-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private ConfigKeyFile KeyIn(string name) => ConfigKeyFile.InDataDirectory(Path.Combine(_dir, name));

    [Fact]
    public void TheKeyIsCreatedOwnerOnlyInAnOwnerOnlyDirectory()
    {
        var file = KeyIn("data");
        using var key = file.LoadOrCreate();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file.Path)!));
        Assert.Equal(32, new FileInfo(file.Path).Length);
        using var again = file.LoadOrCreate();
        Assert.Equal(key.Id, again.Id);
    }

    [Fact]
    public void SealedSecretsOpenWithTheSameKeyOnly()
    {
        using var key = KeyIn("a").LoadOrCreate();
        using var other = KeyIn("b").LoadOrCreate();
        var sealedText = key.Seal(Encoding.UTF8.GetBytes("s3cret"));
        Assert.NotEqual(sealedText, key.Seal(Encoding.UTF8.GetBytes("s3cret")));
        Assert.True(key.TryOpen(sealedText, out var clear, out _));
        Assert.Equal("s3cret", Encoding.UTF8.GetString(clear));
        Assert.False(other.TryOpen(sealedText, out _, out var reason));
        Assert.Equal($"it was encrypted with another machine's key ({key.Id}; this machine's is {other.Id})", reason);
    }

    [Theory]
    [InlineData("NotBase64!")]
    [InlineData("AAAA")]
    public void MalformedValuesAreRefused(string value)
    {
        using var key = KeyIn("a").LoadOrCreate();
        Assert.False(key.TryOpen(value, out _, out var reason));
        Assert.StartsWith("it is not an ENC value PostureGate wrote", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ATamperedValueIsCalledDamaged()
    {
        using var key = KeyIn("a").LoadOrCreate();
        var bytes = Convert.FromBase64String(key.Seal(Encoding.UTF8.GetBytes("s3cret")));
        bytes[^1] ^= 1;
        Assert.False(key.TryOpen(Convert.ToBase64String(bytes), out _, out var reason));
        Assert.Equal("it does not decrypt with this machine's key (the value is damaged)", reason);
    }

    [Fact]
    public void AKeyOthersCanReadIsRefused()
    {
        var file = KeyIn("a");
        file.LoadOrCreate().Dispose();
        File.SetUnixFileMode(file.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.False(file.TryLoad(out _, out var error));
        Assert.Contains("is open to other users", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowOutputWithEncSecretsReloadsOnThisMachineAndNotOnAnother()
    {
        var here = KeyIn("here");
        var loaded = ConfigLoader.Load(TestPaths.Example).Config!;
        string printed;
        using (var key = here.LoadOrCreate())
            printed = ConfigPrinter.Print(loaded, new PrintOptions { Key = key });
        Assert.DoesNotContain("example-dialup-psk", printed);
        Assert.Contains("        set psksecret ENC ", printed);

        var back = ConfigLoader.Parse(printed, "backup.conf", keyFile: here);
        Assert.Empty(back.Errors);
        Assert.Equal(loaded, back.Config);
        // The sealed text is kept: printing again gives the same bytes.
        using (var key = here.LoadOrCreate())
            Assert.Equal(printed, ConfigPrinter.Print(back.Config!, new PrintOptions { Key = key }));

        var elsewhere = KeyIn("elsewhere");
        elsewhere.LoadOrCreate().Dispose();
        var refused = ConfigLoader.Parse(printed, "backup.conf", keyFile: elsewhere);
        Assert.Null(refused.Config);
        var lines = printed.ReplaceLineEndings("\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Contains("set passwd ENC ", StringComparison.Ordinal));
        var d = refused.Errors.First();
        Assert.Equal((first + 1, lines[first].IndexOf("ENC", StringComparison.Ordinal) + 1), (d.Span.Line, d.Span.Column));
        Assert.StartsWith("cannot read the encrypted 'passwd': it was encrypted with another machine's key", d.Message, StringComparison.Ordinal);

        var noKey = ConfigLoader.Parse(printed, "backup.conf", keyFile: KeyIn("none"));
        Assert.Contains("this machine has no configuration key", noKey.Errors.First().Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyIn("none").Path));
    }
}
