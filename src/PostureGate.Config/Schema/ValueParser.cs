// Typed parsing of `set` values. Words are read from the source text as spans;
// only values that are kept become strings or objects.
using System.Globalization;
using System.Net;
using PostureGate.Config.Model;
using PostureGate.Config.Syntax;
using PostureGate.Proposals;

namespace PostureGate.Config.Schema;

/// <summary>Why a value was rejected; <see cref="Token"/> is the offending token's index, or -1 for the attribute itself.</summary>
internal readonly record struct ValueError(int Token, string Message, string? Hint = null);

internal static class ValueParser
{
    // Toggles are the most common values: one shared box each instead of one per statement.
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    public static bool TryParse(AttributeSchema a, string text, List<Token> tokens, int start, int count, out object? value, out ValueError error)
    {
        value = null;
        error = default;
        if (count == 0)
        {
            error = new ValueError(-1, $"'{a.Name}' needs a value");
            return false;
        }
        if (!a.IsList && a.Kind != ValueKind.Ipv4Prefix && count > 1)
        {
            var stray = tokens[start + 1];
            error = new ValueError(start + 1, $"'{a.Name}' takes one value; unexpected {stray.Display(text)}",
                a.Kind == ValueKind.String ? "quote a value that contains blanks" : null);
            return false;
        }
        var first = tokens[start];
        var raw = first.Raw(text);
        switch (a.Kind)
        {
            case ValueKind.String:
                if (first.Length > a.MaxLength)
                    return Fail(out error, start, $"'{a.Name}' is longer than {a.MaxLength} characters");
                value = first.GetString(text);
                return true;
            case ValueKind.Secret:
                value = new Secret(first.GetString(text));
                return true;
            case ValueKind.StringList:
            {
                var items = new string[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = tokens[start + i].GetString(text);
                    if (Array.IndexOf(items, items[i], 0, i) >= 0)
                        return Fail(out error, start + i, $"'{items[i]}' is listed twice in '{a.Name}'");
                }
                value = new ValueList<string>(items);
                return true;
            }
            case ValueKind.Ipv4:
                if (!TryParseIpv4(raw, out var ip))
                    return Fail(out error, start, $"'{a.Name}' needs an IPv4 address, not {first.Display(text)}");
                value = ip;
                return true;
            case ValueKind.Netmask:
                if (!TryParseIpv4(raw, out var mask) || !TryMaskLength(mask, out _))
                    return Fail(out error, start, $"'{a.Name}' needs a netmask such as 255.255.255.0, not {first.Display(text)}");
                value = mask;
                return true;
            case ValueKind.Ipv4Prefix:
                return TryParsePrefix(a, text, tokens, start, count, out value, out error);
            case ValueKind.Integer:
                if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    return Fail(out error, start, $"'{a.Name}' needs an integer, not {first.Display(text)}");
                if (n < a.Min || n > a.Max)
                    return Fail(out error, start, $"'{a.Name}' must be between {a.Min} and {a.Max}, not {n}");
                value = n;
                return true;
            case ValueKind.Toggle:
                if (raw.SequenceEqual("enable"))
                    value = BoxedTrue;
                else if (raw.SequenceEqual("disable"))
                    value = BoxedFalse;
                else
                    return Fail(out error, start, $"'{a.Name}' must be 'enable' or 'disable', not {first.Display(text)}",
                        NameSuggester.Hint(raw, ["enable", "disable"]));
                return true;
            case ValueKind.Enum:
                for (var i = 0; i < a.Words.Length; i++)
                {
                    if (raw.SequenceEqual(a.Words[i]))
                    {
                        value = a.EnumValues[i];
                        return true;
                    }
                }
                return Fail(out error, start, $"'{a.Name}' must be one of {string.Join(", ", a.Words)}; not {first.Display(text)}",
                    NameSuggester.Hint(raw, a.Words));
            case ValueKind.Phase1Proposals:
            case ValueKind.Phase2Proposals:
            {
                var phase1 = a.Kind == ValueKind.Phase1Proposals;
                var suites = new CipherSuite[count];
                for (var i = 0; i < count; i++)
                {
                    var word = tokens[start + i].GetString(text);
                    var found = phase1 ? FortiOsProposals.TryGetPhase1(word, out suites[i]) : FortiOsProposals.TryGetPhase2(word, out suites[i]);
                    if (!found)
                    {
                        var known = (phase1 ? FortiOsProposals.Phase1 : FortiOsProposals.Phase2).Select(s => s.Name);
                        return Fail(out error, start + i, $"unsupported phase {(phase1 ? 1 : 2)} proposal '{word}'", NameSuggester.Hint(word, known));
                    }
                    if (Array.IndexOf(suites, suites[i], 0, i) >= 0)
                        return Fail(out error, start + i, $"'{word}' is listed twice in '{a.Name}'");
                }
                value = new ValueList<CipherSuite>(suites);
                return true;
            }
            case ValueKind.DhGroups:
            {
                var groups = new KeyExchangeMethod[count];
                for (var i = 0; i < count; i++)
                {
                    var word = tokens[start + i].GetString(text);
                    if (!FortiOsProposals.TryGetDhGroup(word, out groups[i]))
                    {
                        var known = string.Join(' ', FortiOsProposals.DhGroups.Select(g => ((ushort)g).ToString(CultureInfo.InvariantCulture)));
                        return Fail(out error, start + i, $"unsupported DH group '{word}'; supported: {known}");
                    }
                    if (Array.IndexOf(groups, groups[i], 0, i) >= 0)
                        return Fail(out error, start + i, $"'{word}' is listed twice in '{a.Name}'");
                }
                value = new ValueList<KeyExchangeMethod>(groups);
                return true;
            }
        }
        return Fail(out error, start, $"'{a.Name}' has an unsupported type");
    }

    /// <summary>Parses a schema default written as words; null when it does not parse.</summary>
    public static object? ParseDefault(AttributeSchema a, string[] words)
    {
        var text = string.Join(' ', words);
        var tokens = new List<Token>();
        var pos = 0;
        foreach (var w in words)
        {
            tokens.Add(new Token(pos, w.Length, 0, pos + 1, TokenKind.Word, false));
            pos += w.Length + 1;
        }
        return TryParse(a, text, tokens, 0, tokens.Count, out var value, out _) ? value : null;
    }

    /// <summary>Strict dotted quad: exactly four decimal octets (IPAddress.TryParse also takes "10.1" and hex).</summary>
    public static bool TryParseIpv4(ReadOnlySpan<char> s, out IPAddress address)
    {
        address = IPAddress.None;
        uint value = 0;
        var octets = 0;
        var i = 0;
        while (octets < 4)
        {
            var startDigit = i;
            uint octet = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9 && i - startDigit < 3)
                octet = octet * 10 + (uint)(s[i++] - '0');
            if (i == startDigit || octet > 255)
                return false;
            value = (value << 8) | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= s.Length || s[i] != '.')
                    return false;
                i++;
            }
        }
        if (i != s.Length)
            return false;
        address = IpPrefix.ToAddress(value);
        return true;
    }

    public static bool TryMaskLength(IPAddress mask, out int length)
    {
        var m = IpPrefix.ToUInt32(mask);
        length = System.Numerics.BitOperations.PopCount(m);
        // Contiguous: the ones are all at the top.
        return m == (length == 0 ? 0u : uint.MaxValue << (32 - length));
    }

    private static bool TryParsePrefix(AttributeSchema a, string text, List<Token> tokens, int start, int count, out object? value, out ValueError error)
    {
        value = null;
        var raw = tokens[start].Raw(text);
        ReadOnlySpan<char> addressPart = raw, maskPart;
        var maskToken = start;
        if (count == 2)
        {
            maskPart = tokens[start + 1].Raw(text);
            maskToken = start + 1;
        }
        else if (count == 1 && raw.IndexOf('/') is var slash and >= 0)
        {
            addressPart = raw[..slash];
            maskPart = raw[(slash + 1)..];
        }
        else if (count > 2)
        {
            return Fail(out error, start + 2, $"'{a.Name}' takes an address and a netmask; unexpected {tokens[start + 2].Display(text)}");
        }
        else
        {
            return Fail(out error, start, $"'{a.Name}' needs an address and a netmask, e.g. 192.0.2.1 255.255.255.0");
        }
        if (!TryParseIpv4(addressPart, out var address))
            return Fail(out error, start, $"'{a.Name}' needs an IPv4 address, not '{addressPart}'");
        int length;
        if (maskPart.IndexOf('.') >= 0)
        {
            if (!TryParseIpv4(maskPart, out var mask) || !TryMaskLength(mask, out length))
                return Fail(out error, maskToken, $"'{maskPart}' is not a valid netmask");
        }
        else if (!int.TryParse(maskPart, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > 32)
        {
            return Fail(out error, maskToken, $"'{maskPart}' is not a valid prefix length (0-32)");
        }
        value = new IpPrefix(address, length);
        error = default;
        return true;
    }

    private static bool Fail(out ValueError error, int token, string message, string? hint = null)
    {
        error = new ValueError(token, message, hint);
        return false;
    }
}
