// The keys protecting the console's cookies: in the host's data directory (owner-only), not the service
// user's ~/.aspnet, without the framework's first-start warning; a second start reads the same keys, so a
// cookie protected before a restart still opens.
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PostureGate.Testing;

namespace PostureGate.Web.Tests.SignIn;

public sealed class ConsoleKeysTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("pg-console-keys");

    public void Dispose() => _data.Delete(recursive: true);

    private static ServiceProvider Host(string keys, RecordingLoggerProvider log)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(log).SetMinimumLevel(LogLevel.Trace));
        services.AddPostureGateConsole(o => o.KeysDirectory = keys);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void KeysAreKeptOwnerOnlyInTheDataDirectory_WithoutAWarning_AndOutliveARestart()
    {
        var keys = Path.Combine(_data.FullName, "console-keys");
        var log = new RecordingLoggerProvider();
        string sealedText;
        using (var first = Host(keys, log))
            sealedText = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("session");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        var key = Assert.Single(Directory.GetFiles(keys));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(key) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        Assert.Empty(log.AtLeastOrWithException(LogLevel.Warning));

        using var second = Host(keys, new RecordingLoggerProvider());
        Assert.Equal("session", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
    }
}
