// FortiOS-style application debug: `diagnose debug application ike -1` sets the
// level of an application, `diagnose debug enable` attaches a console to the
// stream. Lines are only formatted when someone listens at a level that wants
// them, so an idle debug facility costs one volatile read per call site.
using System.Threading.Channels;

namespace PostureGate.Gateway.Debug;

public sealed class DebugLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _levels = new(StringComparer.Ordinal);
    private ImmutableListeners _listeners = ImmutableListeners.Empty;

    private sealed record ImmutableListeners(Channel<string>[] Items)
    {
        public static readonly ImmutableListeners Empty = new([]);
    }

    /// <summary>FortiOS: -1 is everything, 0 is off.</summary>
    public void SetLevel(string application, int level)
    {
        lock (_gate)
            _levels[application] = level;
    }

    public int GetLevel(string application)
    {
        lock (_gate)
            return _levels.TryGetValue(application, out var l) ? l : 0;
    }

    public void Reset()
    {
        lock (_gate)
            _levels.Clear();
    }

    public bool IsEnabled(string application) => _listeners.Items.Length > 0 && GetLevel(application) != 0;

    public void Write(string application, string line)
    {
        var listeners = _listeners.Items;
        if (listeners.Length == 0 || GetLevel(application) == 0)
            return;
        foreach (var ch in listeners)
            ch.Writer.TryWrite(line); // bounded, drop-oldest: a slow console never stalls the daemon
    }

    /// <summary>Streams lines until cancelled (the diagnose client hung up).</summary>
    public async Task AttachAsync(TextWriter output, CancellationToken ct)
    {
        var ch = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
            _listeners = new ImmutableListeners([.. _listeners.Items, ch]);
        try
        {
            await foreach (var line in ch.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
                _listeners = new ImmutableListeners(_listeners.Items.Where(c => c != ch).ToArray());
        }
    }
}
