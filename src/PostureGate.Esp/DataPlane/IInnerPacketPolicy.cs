// The hook between the tunnel and the host for inner packets: the firewall policy
// (written elsewhere) decides per packet and tunnel. The data plane only asks.
namespace PostureGate.Esp;

public interface IInnerPacketPolicy
{
    /// <summary>A decrypted packet from <paramref name="tunnelId"/>, about to be written to the TUN device.</summary>
    bool AllowInbound(ReadOnlySpan<byte> packet, int tunnelId);

    /// <summary>A packet read from the TUN device, about to be encrypted into <paramref name="tunnelId"/>.</summary>
    bool AllowOutbound(ReadOnlySpan<byte> packet, int tunnelId);
}

/// <summary>The policy before a firewall is attached: every packet passes.</summary>
public sealed class AllowAllPolicy : IInnerPacketPolicy
{
    public static AllowAllPolicy Instance { get; } = new();

    public bool AllowInbound(ReadOnlySpan<byte> packet, int tunnelId) => true;

    public bool AllowOutbound(ReadOnlySpan<byte> packet, int tunnelId) => true;
}
