// The gateway's push stream: Server-Sent Events (WHATWG HTML §9.2), one event per change-log
// row: `id:` the version, `event:` the kind, `data:` one line of JSON. Resumes after
// `?since=N` or, when a reconnecting client sends it, the Last-Event-ID header (§9.2.4).
// A version older than the kept change log, or ahead of it, is 409: take a snapshot.
// Readers wake on commits in this process and poll for commits from other processes (CLI).
using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PostureGate.Ems.Api;

internal static class ChangeStream
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task Run(HttpContext http, EmsContext ems, string? since)
    {
        var resume = http.Request.Headers["Last-Event-ID"].ToString();
        var text = resume.Length > 0 ? resume : since ?? "0";
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            await ApiResults.BadRequest("since / Last-Event-ID must be a non-negative integer version").ExecuteAsync(http);
            return;
        }
        var current = ems.Store.CurrentVersion();
        if (last > current)
        {
            await ApiResults.Problem(StatusCodes.Status409Conflict, "Unknown version",
                $"version {last} is ahead of this EMS ({current}); take a new snapshot").ExecuteAsync(http);
            return;
        }
        // Changes after `last` were pruned: replaying the rest would silently skip them.
        if (ems.Store.OldestChangeVersion() is { } oldest && last < oldest - 1)
        {
            await ApiResults.Problem(StatusCodes.Status409Conflict, "Pruned version",
                $"changes after version {last} are no longer kept (oldest {oldest}); take a new snapshot").ExecuteAsync(http);
            return;
        }

        var lifetime = http.RequestServices.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var token = stop.Token;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var body = http.Response.BodyWriter;
        try
        {
            await Write(body, $"retry: 2000\n: version {current}\n\n", token);
            var idle = TimeSpan.Zero;
            while (!token.IsCancellationRequested)
            {
                // Taken before reading, so a commit between the read and the wait still wakes us.
                var changed = ems.Store.ChangedAsync();
                var batch = ems.Store.ReadChanges(last, BatchSize);
                if (batch.Count > 0)
                {
                    var sb = new StringBuilder();
                    foreach (var change in batch)
                    {
                        sb.Append("id: ").Append(change.Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
                        sb.Append("event: ").Append(change.Kind).Append('\n');
                        sb.Append("data: {\"version\":").Append(change.Version.ToString(CultureInfo.InvariantCulture))
                          .Append(",\"kind\":\"").Append(change.Kind)
                          .Append("\",\"subject\":").Append(System.Text.Json.JsonSerializer.Serialize(change.Subject))
                          .Append(",\"at\":").Append(change.At.ToString(CultureInfo.InvariantCulture))
                          .Append(",\"data\":").Append(change.Data).Append("}\n\n");
                        last = change.Version;
                    }
                    await Write(body, sb.ToString(), token);
                    idle = TimeSpan.Zero;
                    continue;
                }
                await Task.WhenAny(changed, Task.Delay(ems.ChangePollInterval, token));
                idle += ems.ChangePollInterval;
                if (idle >= Heartbeat)
                {
                    await Write(body, ": keep-alive\n\n", token);
                    idle = TimeSpan.Zero;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The gateway went away or the server is stopping: the stream just ends.
        }
    }

    private static async Task Write(System.IO.Pipelines.PipeWriter body, string text, CancellationToken token)
    {
        body.Write(Encoding.UTF8.GetBytes(text));
        await body.FlushAsync(token);
    }
}
