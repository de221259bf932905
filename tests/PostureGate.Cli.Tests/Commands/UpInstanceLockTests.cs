// One `pgate up` per data directory (UpInstanceLock): a second one is refused naming the
// running pid from DATA/pgate.pid, a pid file that is not a plain number is not echoed, and
// releasing the lock removes the pid file and lets the next one in.
using System.Globalization;
using PostureGate.Cli.Commands;

namespace PostureGate.Cli.Tests.Commands;

public sealed class UpInstanceLockTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("pgate-lock-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private string PidFile => Path.Combine(_data, UpInstanceLock.PidFileName);

    [Fact]
    public void SecondInstanceIsRefusedNamingTheRunningPidAndDataDirectory()
    {
        using var first = UpInstanceLock.TryAcquire(_data, out var firstError);
        Assert.NotNull(first);
        Assert.Null(firstError);
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(pid + "\n", File.ReadAllText(PidFile));

        var second = UpInstanceLock.TryAcquire(_data, out var error);

        Assert.Null(second);
        Assert.Equal($"already running (pid {pid}, data {_data})", error);
    }

    [Theory]
    [InlineData("not a pid\n")]
    [InlineData("-1\n")]
    [InlineData("12; rm -rf /\n")]
    public void APidFileThatIsNotAPlainNumberIsReportedAsUnknown(string content)
    {
        using var first = UpInstanceLock.TryAcquire(_data, out _);
        Assert.NotNull(first);
        File.WriteAllText(PidFile, content);

        Assert.Null(UpInstanceLock.TryAcquire(_data, out var error));
        Assert.Equal($"already running (pid unknown, data {_data})", error);
    }

    [Fact]
    public void ReleasingRemovesThePidFileAndLetsTheNextInstanceIn()
    {
        UpInstanceLock.TryAcquire(_data, out _)!.Dispose();
        Assert.False(File.Exists(PidFile));

        using var next = UpInstanceLock.TryAcquire(_data, out var error);
        Assert.NotNull(next);
        Assert.Null(error);
    }
}
