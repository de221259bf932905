// Records what would be installed (the floor's IChildSaInstaller, PostureGate.Kernel): for tests
// and the control-plane-only gateway mode.
using System.Net;

namespace PostureGate.Ike.Kernel;

public sealed class InMemoryChildSaInstaller : IChildSaInstaller
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, ChildSaInstallation> _byInbound = [];
    private readonly List<string> _journal = [];
    // Each instance's inbound SPIs, so one instance's CHILD_SAs are found without copying every SA.
    private readonly Dictionary<string, List<uint>> _spisByInstance = new(StringComparer.Ordinal);

    public IChildSaEvents? Events { get; private set; }

    /// <summary>When false, <see cref="Install"/> refuses (to test the failure path).</summary>
    public bool Accept { get; set; } = true;

    /// <summary>
    /// Whether <see cref="Journal"/> records anything. Tests read it; the control-plane-only
    /// gateway turns it off, since it would grow by two lines per SA for the life of the process.
    /// </summary>
    public bool KeepJournal { get; init; } = true;

    public IReadOnlyList<ChildSaInstallation> Installed
    {
        get { lock (_lock) return [.. _byInbound.Values]; }
    }

    /// <summary>The CHILD_SAs installed for one instance ("dialup_0").</summary>
    public IReadOnlyList<ChildSaInstallation> InstalledFor(string instance)
    {
        lock (_lock)
            return _spisByInstance.TryGetValue(instance, out var spis) ? [.. spis.Select(spi => _byInbound[spi])] : [];
    }

    /// <summary>"install …", "remove …", "update …" lines in order.</summary>
    public IReadOnlyList<string> Journal
    {
        get { lock (_lock) return [.. _journal]; }
    }

    public ChildSaInstallation? FindByInbound(uint spi)
    {
        lock (_lock)
            return _byInbound.GetValueOrDefault(spi);
    }

    public ChildSaInstallation? FindByOutbound(uint spi)
    {
        lock (_lock)
            return _byInbound.Values.FirstOrDefault(s => s.OutboundSpi == spi);
    }

    public bool Install(ChildSaInstallation sa)
    {
        lock (_lock)
        {
            if (!Accept || _byInbound.ContainsKey(sa.InboundSpi))
                return false;
            _byInbound[sa.InboundSpi] = sa;
            if (!_spisByInstance.TryGetValue(sa.Instance, out var spis))
                _spisByInstance[sa.Instance] = spis = [];
            spis.Add(sa.InboundSpi);
            if (KeepJournal)
                _journal.Add($"install {sa}");
            return true;
        }
    }

    public void Remove(string instance, uint inboundSpi, uint outboundSpi)
    {
        lock (_lock)
        {
            if (!_byInbound.Remove(inboundSpi, out var sa))
                return;
            if (_spisByInstance.TryGetValue(sa.Instance, out var spis) && spis.Remove(inboundSpi) && spis.Count == 0)
                _spisByInstance.Remove(sa.Instance);
            if (KeepJournal)
                _journal.Add($"remove {instance} in={inboundSpi:x8} out={outboundSpi:x8}");
        }
    }

    public void UpdatePeer(string instance, uint inboundSpi, uint outboundSpi, IPEndPoint newPeer, bool udpEncapsulation)
    {
        lock (_lock)
        {
            if (_byInbound.TryGetValue(inboundSpi, out var sa))
            {
                _byInbound[inboundSpi] = sa with { PeerEndpoint = newPeer, UdpEncapsulation = udpEncapsulation };
                if (KeepJournal)
                    _journal.Add($"update {instance} in={inboundSpi:x8} peer={newPeer}");
            }
        }
    }

    public void Attach(IChildSaEvents events) => Events = events;
}
