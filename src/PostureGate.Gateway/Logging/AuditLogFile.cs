// `--audit-log FILE`: the audit stream (logger category PostureGate.Audit: posture decisions,
// revocations, token updates, failed logins) in its own file, one JSON object per line and
// nothing else, instead of among the console lines. The file is created owner-only (0600: it
// names users, devices and addresses) and appended to; SIGHUP reopens it, so logrotate can
// move it away and signal (`postrotate … kill -HUP`), as with syslog daemons.
using Microsoft.Extensions.Logging;
using PostureGate.Posture;

namespace PostureGate.Gateway.Logging;

public sealed class AuditLogFile : ILoggerProvider
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private StreamWriter? _writer;

    private AuditLogFile(string path)
    {
        _path = path;
        _writer = OpenWriter(path);
    }

    public string Path => _path;

    /// <summary>Opens (creating owner-only) <paramref name="path"/> for appending; null and one line in <paramref name="error"/> when it cannot.</summary>
    public static AuditLogFile? Open(string path, out string? error)
    {
        error = null;
        try
        {
            return new AuditLogFile(System.IO.Path.GetFullPath(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"--audit-log {path}: {e.Message}";
            return null;
        }
    }

    /// <summary>Closes the file and opens the path again (after a rotation moved it); a failure keeps the old file and says why.</summary>
    public string? Reopen()
    {
        lock (_lock)
        {
            StreamWriter next;
            try
            {
                next = OpenWriter(_path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"audit log {_path} not reopened: {e.Message}; still writing to the file open before";
            }
            _writer?.Dispose();
            _writer = next;
            return null;
        }
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName == PostureGateKeeper.AuditCategory ? new AuditLogger(this) : NoAudit.Instance;

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private void WriteLine(string line)
    {
        lock (_lock)
        {
            if (_writer is null)
                return;
            // One record, one line: a line break inside cannot forge another (the JSON escapes them anyway).
            _writer.Write(line.ReplaceLineEndings(" "));
            _writer.Write('\n');
            _writer.Flush();
        }
    }

    private static StreamWriter OpenWriter(string path) => new(new FileStream(path, new FileStreamOptions
    {
        Mode = FileMode.Append,
        Access = FileAccess.Write,
        Share = FileShare.Read,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    }));

    private sealed class AuditLogger(AuditLogFile file) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                file.WriteLine(formatter(state, exception));
        }
    }

    private sealed class NoAudit : ILogger
    {
        public static NoAudit Instance { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
