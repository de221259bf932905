// One IKE SA's task manager (charon's task_manager_v2, RFC 7296 §2.3 window 1), both roles.
// Initiator: the task whose request is outstanding and the tasks queued behind it, started in order
// by IkeMessageSender as the window frees up; a task that needs more goes on before the queue. Responder: the task answering the peer's current
// request, kept for the next one while its exchange needs more rounds. Touched only under the SA's Gate.
using PostureGate.Ike.Messages;
using PostureGate.Ike.Tasks;

namespace PostureGate.Ike.Sa;

internal sealed class IkeTaskManager
{
    private readonly Queue<IIkeTask> _queued = [];
    private IIkeResponderTask? _ongoing;
    private IIkeTask? _continuing;

    /// <summary>The request on the wire, waiting for its response.</summary>
    public PendingRequest? Active { get; set; }

    /// <summary>No request outstanding and none waiting: a new task can start at once.</summary>
    public bool IsIdle => Active is null && _continuing is null && _queued.Count == 0;

    public void Enqueue(IIkeTask task) => _queued.Enqueue(task);

    /// <summary>The task whose response was just processed sends the next request of its exchange before the queue moves.</summary>
    public void Continue(IIkeTask task) => _continuing = task;

    /// <summary>The next task to build a request: the one that needs more, else the first queued.</summary>
    public bool TryDequeue(out IIkeTask task)
    {
        if (_continuing is { } more)
        {
            _continuing = null;
            task = more;
            return true;
        }
        return _queued.TryDequeue(out task!);
    }

    /// <summary>Drops the queued tasks (the SA is being deleted); the active one is left to its response or timeout.</summary>
    public void ClearQueued()
    {
        _continuing = null;
        _queued.Clear();
    }

    /// <summary>The peer's request being answered (its response may wait for the post-authentication hook).</summary>
    public (IkeMessage Request, byte[] Hash)? Answering { get; private set; }

    /// <summary>
    /// The task for the peer's request of <paramref name="exchange"/>: the one still running that exchange
    /// (IKE_AUTH rounds), else a new one from <paramref name="create"/> (null: the exchange is not ours to answer).
    /// A request of another exchange in between (an early INFORMATIONAL) leaves the running one alone.
    /// </summary>
    public IIkeResponderTask? ResponderFor(ExchangeType exchange, Func<ExchangeType, IIkeResponderTask?> create)
    {
        if (_ongoing is { } running && running.Exchange == exchange)
            return running;
        var task = create(exchange);
        if (task is { NeedsMore: true })
            _ongoing = task;
        return task;
    }

    public void BeginAnswer(IkeMessage request, byte[] hash) => Answering = (request, hash);

    /// <summary>The response to <see cref="Answering"/> went out; a task whose exchange is over is let go.</summary>
    public void Answered(IIkeResponderTask task)
    {
        Answering = null;
        if (!task.NeedsMore && ReferenceEquals(_ongoing, task))
            _ongoing = null;
    }
}
