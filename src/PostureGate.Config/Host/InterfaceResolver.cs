// Maps a FortiOS `config system interface` entry onto a Linux interface: by name, else by its configured address.
using PostureGate.Config.Model;

namespace PostureGate.Config.Host;

/// <summary>How a configured interface maps onto the host.</summary>
public enum InterfaceMatch { ByName, ByAddress, NotFound }

public readonly record struct InterfaceResolution(InterfaceMatch Match, HostInterface? Device);

/// <summary>
/// A <c>config system interface</c> entry stands for the Linux interface of the same
/// name or, where none has that name (FortiOS names like port1 rarely exist on
/// Linux), the one carrying its configured address.
/// </summary>
public sealed class InterfaceResolver(IHostInterfaceSource host)
{
    private IReadOnlyList<HostInterface>? _interfaces;

    private IReadOnlyList<HostInterface> Interfaces => _interfaces ??= host.GetInterfaces();

    public InterfaceResolution Resolve(SystemInterface configured)
    {
        foreach (var h in Interfaces)
        {
            if (h.Name == configured.Name)
                return new InterfaceResolution(InterfaceMatch.ByName, h);
        }
        if (configured.HasAddress)
        {
            foreach (var h in Interfaces)
            {
                if (h.Addresses.Any(a => a.Equals(configured.Ip.Address)))
                    return new InterfaceResolution(InterfaceMatch.ByAddress, h);
            }
        }
        return new InterfaceResolution(InterfaceMatch.NotFound, null);
    }

    /// <summary>Warnings for configured interfaces this host does not have.</summary>
    public IEnumerable<Diagnostic> Check(GatewayConfig config)
    {
        foreach (var intf in config.Interfaces)
        {
            if (Resolve(intf).Match == InterfaceMatch.NotFound)
            {
                var detail = intf.HasAddress ? $" and none holds {intf.Ip.Address}" : "";
                yield return new Diagnostic(DiagnosticSeverity.Warning, intf.Span,
                    $"interface '{intf.Name}': this host has no interface of that name{detail}",
                    "name a Linux interface, or give the entry the address of one");
            }
        }
    }
}
