// PostgreSQL LISTEN/NOTIFY for the EMS change stream: every node's write transaction ends with
// NOTIFY (PostgresDialect.AnnounceChange, delivered at commit), and each node keeps one session
// LISTENing, waking its change-stream readers. A notification carries nothing: readers read the
// change log from their own version, so a lost or merged notification loses nothing, and while
// the session is down they fall back to polling.
using Npgsql;

namespace PostureGate.Ems.Storage;

internal sealed class PostgresChangeListener : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _source;
    private readonly ChangeNotifier _notifier = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PostgresChangeListener(NpgsqlDataSource source)
    {
        _source = source;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Completes at the next notification (or when the session was lost and re-made).</summary>
    public Task NextAsync() => _notifier.NextAsync();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => _notifier.Signal();
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDialect.ChangeChannel};", connection))
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                // Commits made while no session listened: readers look once more.
                _notifier.Signal();
                while (true)
                    await connection.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // Database gone or restarting: readers keep polling; try again shortly.
                _notifier.Signal();
            }
            try
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
