// The canonical form, as FortiOS's `show` prints it: 4 spaces per level, names
// and strings double-quoted, numbers, addresses and option words bare, an
// address with netmask as "a.b.c.d m.m.m.m", secrets as "ENC <base64>" sealed
// with this machine's key (Secrets/ConfigKey.cs; "ENC ****" without one). Tables in
// dependency order, entries in file order, attributes in schema order.
using System.Globalization;
using System.Net;
using System.Text;
using PostureGate.Config.Binding;
using PostureGate.Config.Model;
using PostureGate.Config.Schema;
using PostureGate.Proposals;

namespace PostureGate.Config.Printing;

public static class ConfigPrinter
{
    public static string Print(GatewayConfig config, PrintOptions? options = null)
    {
        var sb = new StringBuilder();
        Print(config, new StringWriter(sb), options);
        return sb.ToString();
    }

    public static void Print(GatewayConfig config, TextWriter output, PrintOptions? options = null)
    {
        options ??= new PrintOptions();
        var doc = config.Source ?? throw new InvalidOperationException("only a loaded configuration can be printed");
        foreach (var table in ConfigSchema.Tables)
        {
            if (options.Path is not null && options.Path != table.Path)
                continue;
            if (!doc.Has(table))
                continue;
            var entries = doc[table].Entries;
            if (table.IsTable)
            {
                var selected = entries.Where(e => options.Entry is null || e.Name == options.Entry).ToList();
                if (selected.Count == 0 && options.Path is null)
                    continue;
                output.Write("config ");
                output.WriteLine(table.Path);
                foreach (var e in selected)
                {
                    output.Write("    edit ");
                    output.WriteLine(table.IsNumbered ? e.Name : Quote(e.Name!));
                    PrintAttributes(e, output, options, "        ");
                    output.WriteLine("    next");
                }
                output.WriteLine("end");
            }
            else
            {
                var e = entries[0];
                if (!options.WithDefaults && !table.Attributes.Any(e.IsSet) && e.FortiOsAttributes.Count == 0 && e.FortiOsTables.Count == 0 && options.Path is null)
                    continue;
                output.Write("config ");
                output.WriteLine(table.Path);
                PrintAttributes(e, output, options, "    ");
                output.WriteLine("end");
            }
        }
    }

    /// <summary>Known configuration paths, for `config show` argument checking.</summary>
    public static IEnumerable<string> Paths => ConfigSchema.Paths;

    private static void PrintAttributes(BoundEntry e, TextWriter output, PrintOptions options, string indent)
    {
        foreach (var a in e.Table.Attributes)
        {
            var value = options.WithDefaults ? e.Get(a) : e.GetExplicit(a);
            if (value is null)
                continue;
            output.Write(indent);
            output.Write("set ");
            output.Write(a.Name);
            output.Write(' ');
            output.WriteLine(Format(a, value, options.ShowSecrets, options.Key));
        }
        // What FortiOS has and PostureGate does not use, as it was written.
        foreach (var (name, values) in e.FortiOsAttributes)
        {
            output.Write(indent);
            output.Write("set ");
            output.Write(name);
            output.Write(' ');
            output.WriteLine(values.ReplaceLineEndings(output.NewLine));
        }
        foreach (var table in e.FortiOsTables)
        {
            output.Write(indent);
            output.WriteLine(table.ReplaceLineEndings(output.NewLine));
        }
    }

    internal static string Format(AttributeSchema a, object value, bool showSecrets, Secrets.ConfigKey? key = null) => a.Kind switch
    {
        ValueKind.String => Quote((string)value),
        ValueKind.StringList => string.Join(' ', ((ValueList<string>)value).Select(w => a.BareWords && IsBareWord(w) ? w : Quote(w))),
        ValueKind.Secret => showSecrets ? Quote(((Secret)value).Reveal())
            : key is null ? "ENC ****"
            : "ENC " + (((Secret)value).SealedText ?? key.Seal(((Secret)value).Utf8)),
        ValueKind.Ipv4 or ValueKind.Netmask => ((IPAddress)value).ToString(),
        ValueKind.Ipv4Prefix => $"{((IpPrefix)value).Address} {((IpPrefix)value).Netmask}",
        ValueKind.Integer => ((long)value).ToString(CultureInfo.InvariantCulture),
        ValueKind.Toggle => (bool)value ? "enable" : "disable",
        ValueKind.Enum => a.Words[Array.IndexOf(a.EnumValues, value)],
        ValueKind.Phase1Proposals or ValueKind.Phase2Proposals => string.Join(' ', ((ValueList<CipherSuite>)value).Select(s => s.Name)),
        ValueKind.DhGroups => string.Join(' ', ((ValueList<KeyExchangeMethod>)value).Select(g => ((ushort)g).ToString(CultureInfo.InvariantCulture))),
        _ => throw new InvalidOperationException($"no format for {a.Kind}"),
    };

    // An option word the lexer reads back as one token unquoted.
    private static bool IsBareWord(string w) => w.Length > 0 && w.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// A FortiOS double-quoted string; the lexer reads these escapes back. Line breaks
    /// stay literal, as FortiOS writes a PEM certificate across lines inside its quotes.
    /// </summary>
    public static string Quote(string s)
    {
        if (s.AsSpan().IndexOfAny("\"\\\r\t") < 0)
            return $"\"{s}\"";
        var sb = new StringBuilder(s.Length + 8).Append('"');
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
