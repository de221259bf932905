// A full disk under the EMS's store (issue 12 "Loss and faults"): SQLite's SQLITE_FULL, or
// PostgreSQL's disk_full (SQLSTATE 53100), fails the request's transaction, so nothing was stored
// and nothing acknowledged is lost. The request gets 507 Insufficient Storage (RFC 4918 §11.5) with
// the reason instead of a 500 and a stack trace, reads go on, and the operator gets one error line
// per 10 s saying how many writes were refused.
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PostureGate.Ems.Api;

internal sealed class StorageFullHandler(ILogger<StorageFullHandler> log, TimeProvider? time = null) : IExceptionHandler
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);
    private const int SqliteFull = 13;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;
    private int _refused;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageFull(exception, out var what))
            return false;
        int refused;
        lock (_lock)
        {
            _refused++;
            var now = _time.GetUtcNow();
            if (now - _lastLogged < LogEvery)
                refused = 0;
            else
            {
                refused = _refused;
                _refused = 0;
                _lastLogged = now;
            }
        }
        if (refused > 0)
            log.LogError("store full ({What}): {Count} write(s) refused with 507 since the last line; reads go on, nothing was stored", what, refused);
        await ApiResults.Problem(StatusCodes.Status507InsufficientStorage, "Insufficient storage",
            "the EMS's disk is full: nothing was stored; try again later").ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }

    /// <summary>SQLITE_FULL or PostgreSQL's disk_full anywhere in the exception's chain.</summary>
    internal static bool IsStorageFull(Exception exception, out string what)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteFull } s:
                    what = s.Message;
                    return true;
                case Npgsql.PostgresException { SqlState: "53100" } p:
                    what = p.MessageText;
                    return true;
            }
        }
        what = "";
        return false;
    }
}
