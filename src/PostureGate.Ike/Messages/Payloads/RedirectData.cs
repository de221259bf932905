// RFC 5685 §9.2 / §9.3: the notification data of REDIRECT and REDIRECTED_FROM (Protocol ID 0,
// SPI Size 0):
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | GW Ident Type |  GW Ident Len |                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               ~
// ~              New (or Original) Responder GW Identity          ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                 Nonce Data (REDIRECT in IKE_SA_INIT only)     ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// The Nonce Data of a REDIRECT answering IKE_SA_INIT is the initiator's Ni: it travels in clear,
// and only an attacker who saw the request can copy it (§11).
namespace PostureGate.Ike.Messages.Payloads;

public sealed record RedirectData(RedirectGateway Gateway, byte[] Nonce)
{
    /// <summary>RFC 5685 §9.2: the N(REDIRECT) answering IKE_SA_INIT, naming <paramref name="to"/> and echoing Ni.</summary>
    public static NotifyPayload Redirect(RedirectGateway to, ReadOnlySpan<byte> nonceI) =>
        new(NotifyType.Redirect, new RedirectData(to, nonceI.ToArray()).Encode());

    /// <summary>RFC 5685 §9.3: the N(REDIRECTED_FROM) a redirected initiator sends the new gateway, naming the one it left.</summary>
    public static NotifyPayload RedirectedFrom(System.Net.IPAddress original) =>
        new(NotifyType.RedirectedFrom, new RedirectData(RedirectGateway.FromAddress(original), []).Encode());

    /// <summary>
    /// Reads the notification data; on failure <paramref name="reason"/> says why and nothing is kept.
    /// Whatever follows the identity is the Nonce Data (empty when there is none).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RedirectData? redirect, out string? reason)
    {
        redirect = null;
        if (data.Length < 2)
        {
            reason = $"notification data of {data.Length} octets, shorter than GW Ident Type and Len";
            return false;
        }
        var length = data[1];
        if (length == 0)
        {
            reason = "GW Ident Len 0";
            return false;
        }
        if (2 + length > data.Length)
        {
            reason = $"GW Ident Len {length} runs past the {data.Length - 2} octets that follow";
            return false;
        }
        if (!RedirectGateway.TryRead(data[0], data.Slice(2, length), out var gateway, out reason))
            return false;
        redirect = new RedirectData(gateway!, data[(2 + length)..].ToArray());
        return true;
    }

    public byte[] Encode()
    {
        var identity = Gateway.IdentityBytes();
        var data = new byte[2 + identity.Length + Nonce.Length];
        data[0] = (byte)Gateway.Type;
        data[1] = checked((byte)identity.Length);
        identity.CopyTo(data, 2);
        Nonce.CopyTo(data, 2 + identity.Length);
        return data;
    }
}
