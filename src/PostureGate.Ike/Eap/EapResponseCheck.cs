// RFC 3748 §4.1/§4.2: what every EAP server method checks of a peer's packet before its own type
// data: a parsable Response answering the outstanding Request's Identifier, and not a Nak (RFC 3748
// §5.3.1; no other method is offered). Shared by EAP-MSCHAPv2 and EAP-TLS.
namespace PostureGate.Ike.Eap;

internal static class EapResponseCheck
{
    /// <summary>
    /// The peer's Response to the Request with <paramref name="identifier"/>, or false with the Identifier the
    /// EAP-Failure carries (§4.2: that of the packet it answers, when there is one) and why.
    /// </summary>
    public static bool TryAccept(ReadOnlySpan<byte> eapResponse, byte identifier, string method,
        out EapPacket packet, out byte failureIdentifier, out string reason)
    {
        failureIdentifier = identifier;
        if (!EapPacket.TryParse(eapResponse, out packet))
        {
            reason = "malformed EAP packet";
            return false;
        }
        failureIdentifier = packet.Identifier;
        reason = packet.Code != EapCode.Response ? $"expected an EAP Response, got code {(byte)packet.Code}"
            : packet.Identifier != identifier ? $"EAP Identifier {packet.Identifier} does not match the request's {identifier}"
            : packet.Type == EapType.Nak ? $"peer declined {method} (Nak)"
            : "";
        return reason.Length == 0;
    }
}
