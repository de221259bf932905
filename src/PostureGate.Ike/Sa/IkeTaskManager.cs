// One IKE SA's task manager (charon's task_manager_v2, initiator side): the task whose request is
// outstanding (RFC 7296 §2.3 window 1) and the tasks queued behind it, started in order by
// IkeMessageSender as the window frees up. Touched only under the SA's Gate.
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Sa;

internal sealed class IkeTaskManager
{
    private readonly Queue<IIkeTask> _queued = [];

    /// <summary>The request on the wire, waiting for its response.</summary>
    public PendingRequest? Active { get; set; }

    /// <summary>No request outstanding and none waiting: a new task can start at once.</summary>
    public bool IsIdle => Active is null && _queued.Count == 0;

    public void Enqueue(IIkeTask task) => _queued.Enqueue(task);

    public bool TryDequeue(out IIkeTask task) => _queued.TryDequeue(out task!);

    /// <summary>Drops the queued tasks (the SA is being deleted); the active one is left to its response or timeout.</summary>
    public void ClearQueued() => _queued.Clear();
}
