// One `pgate up` per data directory: an exclusive flock(2) on DATA/pgate.lock (taken by
// FileShare.None; the kernel drops it when the process dies, so a crash leaves no stale
// lock) and the owner's pid in DATA/pgate.pid for the second one to name.
using System.Globalization;

namespace PostureGate.Cli.Commands;

internal sealed class UpInstanceLock : IDisposable
{
    public const string LockFileName = "pgate.lock";
    public const string PidFileName = "pgate.pid";

    private readonly FileStream _lock;
    private readonly string _pidFile;

    private UpInstanceLock(FileStream lockFile, string pidFile)
    {
        _lock = lockFile;
        _pidFile = pidFile;
    }

    /// <summary>The lock, or null with <paramref name="error"/> naming the running instance.</summary>
    public static UpInstanceLock? TryAcquire(string dataDirectory, out string? error)
    {
        var full = Path.GetFullPath(dataDirectory);
        var pidFile = Path.Combine(full, PidFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(Path.Combine(full, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            error = $"already running (pid {ReadPid(pidFile) ?? "unknown"}, data {full})";
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            error = $"{full}: {e.Message}";
            return null;
        }
        File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        error = null;
        return new UpInstanceLock(stream, pidFile);
    }

    private static string? ReadPid(string pidFile)
    {
        try
        {
            var text = File.ReadAllText(pidFile).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid.ToString(CultureInfo.InvariantCulture) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_pidFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The lock below is what counts; a pid file left behind names a process that is gone.
        }
        _lock.Dispose();
    }
}
