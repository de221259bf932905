// User names as they arrive in EAP: the Identity Response (RFC 3748 §5.1) and
// the MS-CHAPv2 Name field (RFC 2759 §4). Both are octet strings; this side
// takes them as strict UTF-8 without control characters, so that a name can
// key a lookup and go into a log line unchanged.
using System.Text;

namespace PostureGate.Ike.Eap;

internal static class EapName
{
    /// <summary>RFC 2759 §4 limits the name to 256 octets; the identity gets the same bound.</summary>
    public const int MaxLength = 256;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(ReadOnlySpan<byte> octets, out string name)
    {
        name = "";
        if (octets.IsEmpty || octets.Length > MaxLength)
            return false;
        // C0 controls and DEL are single octets in UTF-8; C1 controls are checked after decoding.
        foreach (var b in octets)
        {
            if (b < 0x20 || b == 0x7F)
                return false;
        }
        try
        {
            name = s_strictUtf8.GetString(octets);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        if (name.AsSpan().IndexOfAnyInRange('\u0080', '\u009F') >= 0)
        {
            name = "";
            return false;
        }
        return true;
    }

    /// <summary>Text from a peer or server for a log line: printable ASCII only, bounded.</summary>
    public static string Sanitize(ReadOnlySpan<byte> text, int maxLength = 128)
    {
        var length = Math.Min(text.Length, maxLength);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = text[i] is >= 0x20 and < 0x7F ? (char)text[i] : '?';
        return new string(chars);
    }
}
