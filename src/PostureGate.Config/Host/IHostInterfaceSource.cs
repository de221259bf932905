// The host's network interfaces as a seam, so tests can give a fake machine — PostureGate's own.
namespace PostureGate.Config.Host;

/// <summary>The host's interfaces; a seam so tests can give a fake machine.</summary>
public interface IHostInterfaceSource
{
    IReadOnlyList<HostInterface> GetInterfaces();
}
