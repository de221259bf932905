// POSTURE_REASON notify body (private status type 0xF103, RFC 7296 §3.10.1 private-use status
// range; see PrivateNotifies and docs/protocol.md): why a tunnel was refused or revoked, in words
// the user can act on. UTF-8 `KEY=value` lines separated by LF, as FORTICLIENT_CONNECT: CODE (one
// of PostureReasonCode's wire names; an unknown one reads as Other) and TEXT (one line). The body
// comes from the network: bounded, text only — no control byte reaches a terminal — never throws.
using System.Text;

namespace PostureGate.Posture;

/// <summary>What the user has to do something about; the client's exit reason.</summary>
public enum PostureReasonCode
{
    /// <summary>A code this client does not know (a newer gateway): the text still says it.</summary>
    Other,
    /// <summary>The tunnel admits devices with some tag the EMS does not give this device.</summary>
    TagMissing,
    /// <summary>No endpoint UID (no FORTICLIENT_CONNECT): the client was run without an EMS.</summary>
    NoEndpointId,
    /// <summary>ems-sn-check: no EMS serial, or one the gateway does not trust.</summary>
    EmsSerial,
    /// <summary>The EMS could not answer for the device, and no usable ZTNA token stood in.</summary>
    EmsUnavailable,
    /// <summary>The device's ZTNA token expired.</summary>
    TokenExpired,
    /// <summary>The device's ZTNA token was refused (signature, shape, UID) or carries none of the tags.</summary>
    TokenRefused,
}

/// <summary>A reason as sent: its code and one line of text.</summary>
public sealed record PostureReason(PostureReasonCode Code, string Text);

public static class PostureReasonBody
{
    public const int MaxBodyBytes = 1024;

    private static readonly (PostureReasonCode Code, string Wire)[] Names =
    [
        (PostureReasonCode.TagMissing, "tag-missing"),
        (PostureReasonCode.NoEndpointId, "no-endpoint-id"),
        (PostureReasonCode.EmsSerial, "ems-serial"),
        (PostureReasonCode.EmsUnavailable, "ems-unavailable"),
        (PostureReasonCode.TokenExpired, "token-expired"),
        (PostureReasonCode.TokenRefused, "token-refused"),
        (PostureReasonCode.Other, "other"),
    ];

    public static string WireName(PostureReasonCode code) => Array.Find(Names, n => n.Code == code).Wire ?? "other";

    /// <summary>The body; the text is cut to one line and to fit <see cref="MaxBodyBytes"/>.</summary>
    public static byte[] Encode(PostureReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var text = new string([.. reason.Text.Where(c => !char.IsControl(c))]);
        var head = $"CODE={WireName(reason.Code)}\nTEXT=";
        var room = MaxBodyBytes - Encoding.UTF8.GetByteCount(head) - 1;
        while (Encoding.UTF8.GetByteCount(text) > room)
            text = text[..^1];
        return Encoding.UTF8.GetBytes(head + text + "\n");
    }

    /// <summary>Parses a received body; false (and null) when it is not one: too long, not text, no TEXT.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out PostureReason? reason)
    {
        reason = null;
        if (body.IsEmpty || body.Length > MaxBodyBytes)
            return false;
        // Text only: LF separates lines, CR before it is tolerated; any other control byte is junk.
        foreach (var b in body)
        {
            if ((b < 0x20 && b is not ((byte)'\n' or (byte)'\r')) || b == 0x7F)
                return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        string? code = null, line = null;
        foreach (var raw in text.Split('\n'))
        {
            var l = raw.TrimEnd('\r');
            var eq = l.IndexOf('=');
            if (eq <= 0)
                continue;
            var (key, value) = (l[..eq], l[(eq + 1)..]);
            if (key == "CODE")
                code ??= value;
            else if (key == "TEXT")
                line ??= value;
        }
        // C1 controls (U+0080..U+009F) are terminal escapes too.
        if (string.IsNullOrWhiteSpace(line) || line.Any(char.IsControl))
            return false;
        var known = Array.Find(Names, n => string.Equals(n.Wire, code, StringComparison.Ordinal));
        reason = new PostureReason(known.Wire is null ? PostureReasonCode.Other : known.Code, line);
        return true;
    }
}
