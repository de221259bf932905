using System.Globalization;

namespace PostureGate.Interop.Tests.Swanctl;

/// <summary>
/// Reads the output of <c>swanctl --list-sas --pretty</c> (strongSwan 5.9, vici message dump):
/// <code>
/// list-sa event {            one event per IKE_SA
///   NAME {                   the IKE_SA, named after its connection
///     key = value
///     local-vips = [         a list, one item per line
///       192.0.2.200
///     ]
///     child-sas {
///       NAME-ID { … }
///     }
///   }
/// }
/// list-sas reply {
/// }
/// </code>
/// Source: strongSwan src/swanctl/commands/list_sas.c and the vici message pretty printer;
/// verified against the output captured in this harness. Malformed text returns false with
/// the line that broke it; it never throws.
/// </summary>
public static class SwanctlSasParser
{
    public static bool TryParse(string text, out IReadOnlyList<IkeSaInfo> sas, out string error)
    {
        sas = [];
        if (!TryReadTree(text, out var root, out error))
        {
            return false;
        }
        var result = new List<IkeSaInfo>();
        foreach (var (eventName, ev) in root.Sections)
        {
            if (eventName != "list-sa event")
            {
                continue;
            }
            foreach (var (name, ike) in ev.Sections)
            {
                if (!TryReadIkeSa(name, ike, out var sa, out error))
                {
                    return false;
                }
                result.Add(sa);
            }
        }
        sas = result;
        return true;
    }

    private static bool TryReadIkeSa(string name, Section s, out IkeSaInfo sa, out string error)
    {
        sa = null!;
        if (!s.TryInt("uniqueid", out var id) || s.Get("state") is not { } state)
        {
            error = $"IKE_SA '{name}': uniqueid or state missing or not a number";
            return false;
        }
        var children = new List<ChildSaInfo>();
        foreach (var (childKey, c) in s.Child("child-sas")?.Sections ?? [])
        {
            if (!c.TryInt("uniqueid", out var cid) || c.Get("state") is not { } cstate ||
                !c.TryLong("bytes-in", out var bi) || !c.TryLong("packets-in", out var pi) ||
                !c.TryLong("bytes-out", out var bo) || !c.TryLong("packets-out", out var po))
            {
                error = $"CHILD_SA '{childKey}' of '{name}': uniqueid, state or counters missing or not numbers";
                return false;
            }
            children.Add(new ChildSaInfo(
                c.Get("name") ?? childKey, cid, cstate, c.Get("mode"), c.Get("protocol"), c.Get("encap") == "yes",
                c.Get("spi-in"), c.Get("spi-out"), c.Get("encr-alg"), c.OptionalInt("encr-keysize"), c.Get("integ-alg"),
                bi, pi, bo, po, c.List("local-ts"), c.List("remote-ts")));
        }
        sa = new IkeSaInfo(
            name, id, state, s.Get("local-host"), s.OptionalInt("local-port"), s.Get("local-id"),
            s.Get("remote-host"), s.OptionalInt("remote-port"), s.Get("remote-id"),
            s.Get("initiator-spi"), s.Get("responder-spi"), s.Get("encr-alg"), s.OptionalInt("encr-keysize"),
            s.Get("integ-alg"), s.Get("prf-alg"), s.Get("dh-group"), s.List("local-vips"), s.List("remote-vips"), children,
            s.Get("remote-eap-id"));
        error = "";
        return true;
    }

    private static bool TryReadTree(string text, out Section root, out string error)
    {
        root = new Section();
        var stack = new Stack<Section>();
        stack.Push(root);
        List<string>? list = null;
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (list is not null)
            {
                if (line == "]")
                {
                    list = null;
                }
                else
                {
                    list.Add(line);
                }
                continue;
            }
            if (line == "}")
            {
                if (stack.Count == 1)
                {
                    error = $"line {lineNo}: '}}' without an open section";
                    return false;
                }
                stack.Pop();
                continue;
            }
            if (line.EndsWith(" {", StringComparison.Ordinal))
            {
                var section = new Section();
                stack.Peek().Sections.Add((line[..^2], section));
                stack.Push(section);
                continue;
            }
            var eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"line {lineNo}: neither 'key = value', 'name {{', '}}' nor a list: '{line}'";
                return false;
            }
            var key = line[..eq];
            var value = line[(eq + 3)..];
            if (value == "[")
            {
                list = [];
                stack.Peek().Lists[key] = list;
            }
            else
            {
                stack.Peek().Values[key] = value;
            }
        }
        if (list is not null || stack.Count != 1)
        {
            error = list is not null ? "unterminated list at end of text" : $"{stack.Count - 1} section(s) not closed at end of text";
            return false;
        }
        error = "";
        return true;
    }

    private sealed class Section
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<string>> Lists { get; } = new(StringComparer.Ordinal);
        public List<(string Name, Section Section)> Sections { get; } = [];

        public string? Get(string key) => Values.GetValueOrDefault(key);

        public IReadOnlyList<string> List(string key) => Lists.TryGetValue(key, out var l) ? l : [];

        public Section? Child(string name) => Sections.FirstOrDefault(s => s.Name == name).Section;

        public bool TryInt(string key, out int value) =>
            int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out value);

        public bool TryLong(string key, out long value) =>
            long.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out value);

        public int? OptionalInt(string key) => TryInt(key, out var v) ? v : null;
    }
}
