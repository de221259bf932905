// All connectors' stores, by fctems entry id; the gate resolves "EMS<n>_ZTNA_<tag>" here.
using System.Collections.Concurrent;

namespace PostureGate.Posture;

public sealed class TagStore
{
    private readonly ConcurrentDictionary<int, ConnectorTagStore> _connectors = new();

    /// <summary>Any connector's change, forwarded.</summary>
    public event Action<IReadOnlyList<EndpointDelta>>? Changed;

    public ConnectorTagStore For(int connectorId) => _connectors.GetOrAdd(connectorId, id =>
    {
        var store = new ConnectorTagStore(id);
        store.Changed += deltas => Changed?.Invoke(deltas);
        return store;
    });

    public bool TryGet(int connectorId, out ConnectorTagStore store) => _connectors.TryGetValue(connectorId, out store!);

    public IReadOnlyList<ConnectorTagStore> All => [.. _connectors.Values.OrderBy(s => s.ConnectorId)];

    /// <summary>O(1): does the dynamic address resolve this IPv4 (zero trust tags; classification
    /// tags decide posture by UID, they resolve no address here).</summary>
    public bool Resolves(DynamicAddressName name, uint ipv4) =>
        name.Kind == EmsTagKind.Ztna && _connectors.TryGetValue(name.ConnectorId, out var store) && store.Resolves(name.Tag, ipv4);

    public IReadOnlyList<DynamicAddress> DynamicAddresses() => [.. All.SelectMany(s => s.DynamicAddresses())];
}
