using System.Net.Http.Headers;

namespace PostureGate.Ems.Tests;

/// <summary>A minimal Server-Sent Events reader for tests (id, event, data; comments skipped).</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpResponseMessage Response => _response;

    public static async Task<SseReader> OpenAsync(HttpClient client, string url, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event; the token only guards against a hung test.</summary>
    public async Task<SseEvent> NextAsync(CancellationToken cancellationToken)
    {
        string? id = null, kind = null, data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException();
            if (line.Length == 0)
            {
                if (data is not null)
                    return new SseEvent(long.Parse(id!), kind!, data);
                continue;
            }
            if (line.StartsWith(':') || line.StartsWith("retry:"))
                continue;
            var colon = line.IndexOf(':');
            var value = line[(colon + 1)..].TrimStart();
            switch (line[..colon])
            {
                case "id": id = value; break;
                case "event": kind = value; break;
                case "data": data = value; break;
            }
        }
    }

    public async Task<List<SseEvent>> TakeAsync(int count, TimeSpan guard)
    {
        using var cts = new CancellationTokenSource(guard);
        var list = new List<SseEvent>();
        while (list.Count < count)
            list.Add(await NextAsync(cts.Token));
        return list;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

internal sealed record SseEvent(long Id, string Kind, string Data);
