// RFC 7296 §3.3.1 "Protocol ID" (also used by Notify §3.10 and Delete §3.11).
namespace PostureGate.Ike.Messages;

public enum ProtocolId : byte
{
    /// <summary>Notify only: the notification is not about a particular SA.</summary>
    None = 0,
    Ike = 1,
    Ah = 2,
    Esp = 3,
}
