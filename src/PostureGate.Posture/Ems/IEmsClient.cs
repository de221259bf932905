// The connector's view of one EMS (its gateway API). Every call reports failure as a value:
// an EMS that refuses, answers garbage or hangs past the call timeout is Unreachable for that
// call, which the gate never mistakes for "the endpoint has no tag".
using System.Net;

namespace PostureGate.Posture;

public interface IEmsClient : IDisposable
{
    Task<EmsResult<EmsSnapshot>> GetSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>The JWKS document (JSON text) with the token-signing keys.</summary>
    Task<EmsResult<string>> GetJwksAsync(CancellationToken cancellationToken);

    Task<EmsResult<EndpointEntry>> LookupByUidAsync(string uid, CancellationToken cancellationToken);

    Task<EmsResult<EndpointEntry>> LookupByIpAsync(IPAddress ip, CancellationToken cancellationToken);

    /// <summary>Changes after <paramref name="since"/> until the stream ends or fails (then it throws <see cref="EmsUnreachableException"/>).</summary>
    IAsyncEnumerable<EmsChange> StreamChangesAsync(long since, CancellationToken cancellationToken);
}

public enum EmsStatus
{
    Ok,
    NotFound,
    Unreachable,
}

public readonly record struct EmsResult<T>(EmsStatus Status, T? Value, string? Reason)
{
    public static EmsResult<T> Ok(T value) => new(EmsStatus.Ok, value, null);
    public static EmsResult<T> NotFound(string reason) => new(EmsStatus.NotFound, default, reason);
    public static EmsResult<T> Unreachable(string reason) => new(EmsStatus.Unreachable, default, reason);
}

public sealed record EmsSnapshot(long Version, string? EmsSerial, string? TenantId, IReadOnlyList<string> Tags, IReadOnlyList<EndpointEntry> Endpoints)
{
    /// <summary>The endpoint CA's key id (hex SHA-256 of its SubjectPublicKeyInfo); null from an EMS without one.</summary>
    public string? EndpointCaKey { get; init; }

    /// <summary>The endpoint CA's revoked certificates still within their validity.</summary>
    public IReadOnlyList<RevokedCertificate> RevokedCertificates { get; init; } = [];
}

/// <summary>One push event: an endpoint's new state, a removal, a tag definition, a key rotation, or revoked certificates.</summary>
public sealed record EmsChange(long Version, string Kind, string Subject, EndpointEntry? Endpoint)
{
    /// <summary>`certificate.revoked`: the serials (hex) of <see cref="Subject"/>'s certificates revoked.</summary>
    public IReadOnlyList<string> RevokedSerials { get; init; } = [];
}

public sealed class EmsUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
