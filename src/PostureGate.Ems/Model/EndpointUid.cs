// FortiClient UID syntax: 32 hex digits, as FORTICLIENT_CONNECT's `UID=` carries it (seed document), kept upper-case.
namespace PostureGate.Ems.Model;

/// <summary>FortiClient UID: 32 hex digits (FORTICLIENT_CONNECT `UID=`), kept upper-case.</summary>
public static class EndpointUid
{
    public const int Length = 32;

    public static bool TryNormalize(string? text, out string uid)
    {
        uid = "";
        if (text is null || text.Length != Length || !text.AsSpan().ContainsOnlyHex())
            return false;
        uid = text.ToUpperInvariant();
        return true;
    }
}

internal static class SpanHex
{
    public static bool ContainsOnlyHex(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
                return false;
        }
        return true;
    }
}
