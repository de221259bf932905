// The interpolated-string handler behind IkeDebugLog.Global/Sa: the compiler calls the
// Append methods only when the constructor reports the sink enabled, so with nobody
// debugging a line like $"added IPsec SA: SPIs={inbound:x8}/{outbound:x8} {chosen}" costs
// one check (no ToString, no string). When enabled it writes the "ike V=root:0:name:serial: "
// prefix first, so the whole line is one string, formatted as plain interpolation would.
using System.Runtime.CompilerServices;

namespace PostureGate.Ike.Diagnostics;

[InterpolatedStringHandler]
public ref struct IkeDebugLineHandler
{
    private DefaultInterpolatedStringHandler _text;

    /// <summary>A global line: "ike V=root:0: …".</summary>
    public IkeDebugLineHandler(int literalLength, int formattedCount, IkeDebugLog log, out bool enabled)
    {
        Enabled = enabled = log.IsEnabled;
        if (!enabled)
            return;
        _text = new DefaultInterpolatedStringHandler(literalLength + 16, formattedCount + 2);
        _text.AppendLiteral("ike V=");
        _text.AppendFormatted(log.Vdom);
        _text.AppendLiteral(":");
        _text.AppendFormatted(log.VdomIndex);
        _text.AppendLiteral(": ");
    }

    /// <summary>An SA line: "ike V=root:0:dialup_0:12: …".</summary>
    public IkeDebugLineHandler(int literalLength, int formattedCount, IkeDebugLog log, string name, long serial, out bool enabled)
    {
        Enabled = enabled = log.IsEnabled;
        if (!enabled)
            return;
        _text = new DefaultInterpolatedStringHandler(literalLength + 32 + name.Length, formattedCount + 4);
        _text.AppendLiteral("ike V=");
        _text.AppendFormatted(log.Vdom);
        _text.AppendLiteral(":");
        _text.AppendFormatted(log.VdomIndex);
        _text.AppendLiteral(":");
        _text.AppendFormatted(name);
        _text.AppendLiteral(":");
        _text.AppendFormatted(serial);
        _text.AppendLiteral(": ");
    }

    /// <summary>Decided once, when the line started: a listener attaching halfway gets no half-formatted line.</summary>
    public bool Enabled { get; }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    public void AppendFormatted<T>(T value, int alignment) => _text.AppendFormatted(value, alignment);

    public void AppendFormatted<T>(T value, int alignment, string? format) => _text.AppendFormatted(value, alignment, format);

    public void AppendFormatted(ReadOnlySpan<char> value) => _text.AppendFormatted(value);

    public void AppendFormatted(string? value) => _text.AppendFormatted(value);

    internal string ToStringAndClear() => _text.ToStringAndClear();
}
