// RFC 7296 §3.1, the Flags octet: | X | X | R | V | I | X | X | X |
namespace PostureGate.Ike.Messages;

[Flags]
public enum IkeHeaderFlags : byte
{
    None = 0,
    /// <summary>Set by the original initiator of the IKE SA in every message it sends.</summary>
    Initiator = 0x08,
    /// <summary>"I can speak a higher major version"; never set by IKEv2 implementations.</summary>
    Version = 0x10,
    /// <summary>The message is a response to a message with the same Message ID.</summary>
    Response = 0x20,
}
