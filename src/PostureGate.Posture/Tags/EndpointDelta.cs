// One endpoint added, changed or removed in an EMS connector's store — PostureGate's own.
namespace PostureGate.Posture;

/// <summary>One endpoint changed in a connector's store: null <see cref="Before"/> = new, null <see cref="After"/> = removed.</summary>
public sealed record EndpointDelta(int ConnectorId, string Uid, EndpointEntry? Before, EndpointEntry? After);
