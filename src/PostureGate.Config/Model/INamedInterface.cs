// What a FortiOS firewall policy's srcintf/dstintf can name: a system interface, a phase1-interface tunnel or `any`.
namespace PostureGate.Config.Model;

/// <summary>
/// What a policy's srcintf/dstintf can name: a system interface, a phase1-interface
/// (FortiOS makes each tunnel an interface) or <c>any</c>.
/// </summary>
public interface INamedInterface
{
    string Name { get; }
}

/// <summary>The predefined <c>any</c> interface of firewall policies.</summary>
public sealed record AnyInterface : INamedInterface
{
    public static AnyInterface Instance { get; } = new();

    public string Name => "any";
}
