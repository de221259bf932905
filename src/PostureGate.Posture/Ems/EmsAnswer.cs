// What one call to an EMS's gateway API came back with (the connector's side; the EMS server's own
// store outcome is PostureGate.Ems's EmsResult): a value, "no such endpoint", or no usable answer.
namespace PostureGate.Posture;

public enum EmsStatus
{
    Ok,
    NotFound,
    Unreachable,
}

/// <summary>The answer to one EMS call; Unreachable is never read as "the endpoint has no tag".</summary>
public readonly record struct EmsAnswer<T>(EmsStatus Status, T? Value, string? Reason)
{
    public static EmsAnswer<T> Ok(T value) => new(EmsStatus.Ok, value, null);
    public static EmsAnswer<T> NotFound(string reason) => new(EmsStatus.NotFound, default, reason);
    public static EmsAnswer<T> Unreachable(string reason) => new(EmsStatus.Unreachable, default, reason);
}
