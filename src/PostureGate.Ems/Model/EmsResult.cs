// The outcome of an EMS store operation (ok, unchanged, not found, invalid, conflict, forbidden) — PostureGate's own.
namespace PostureGate.Ems.Model;

public enum EmsOutcome
{
    /// <summary>Done and committed; <see cref="EmsResult.Version"/> is the version after it.</summary>
    Ok,
    /// <summary>Nothing to do (already so); the version did not move.</summary>
    Unchanged,
    NotFound,
    Invalid,
    Conflict,
    /// <summary>Refused for want of a right: a bad or used-up invitation, enrollment without a code.</summary>
    Forbidden,
}

/// <summary>The outcome of a store operation; failures carry a reason for a person and change nothing.</summary>
public readonly record struct EmsResult(EmsOutcome Outcome, string? Detail, long Version)
{
    public bool Succeeded => Outcome is EmsOutcome.Ok or EmsOutcome.Unchanged;

    public static EmsResult Fail(EmsOutcome outcome, string detail) => new(outcome, detail, 0);
}
