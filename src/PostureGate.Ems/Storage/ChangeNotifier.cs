// Wakes the EMS change-stream readers after a commit in this process; other processes' writes are polled — PostureGate's own.
namespace PostureGate.Ems.Storage;

/// <summary>Wakes change-stream readers after a commit in this process. Writes from another
/// process (the CLI) are seen by the readers' periodic poll instead.</summary>
internal sealed class ChangeNotifier
{
    private TaskCompletionSource _next = NewSource();

    public Task NextAsync() => Volatile.Read(ref _next).Task;

    public void Signal() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
