// Request retransmission (RFC 7296 §2.1: the initiator alone retransmits). strongSwan's
// defaults: timeout 4 s, base 1.8, 5 tries, so a peer is declared dead after ~165 s.
namespace PostureGate.Ike.Sa;

public sealed record RetransmitPolicy(TimeSpan Timeout, double Base, int Tries)
{
    public static RetransmitPolicy StrongSwan { get; } = new(TimeSpan.FromSeconds(4), 1.8, 5);

    /// <summary>Delay before retransmission <paramref name="attempt"/> (0 = the first send).</summary>
    public TimeSpan Delay(int attempt) => TimeSpan.FromTicks((long)(Timeout.Ticks * Math.Pow(Base, attempt)));
}
