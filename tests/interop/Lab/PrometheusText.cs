// A reader of Prometheus's text exposition format (version 0.0.4) for the tests that scrape
// pgate: `name{label="value",…} number` sample lines; `#` lines and blank lines skipped.
using System.Globalization;

namespace PostureGate.Interop.Tests.Lab;

public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

public static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name, rest;
            if (brace >= 0)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                ParseLabels(line[(brace + 1)..close], labels);
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            var value = rest.Split(' ')[0];
            samples.Add(new PrometheusSample(name, labels, double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    /// <summary>The sum of <paramref name="name"/>'s samples whose labels include all of <paramref name="labels"/>.</summary>
    public static double Sum(this IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    private static void ParseLabels(string body, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < body.Length)
        {
            var eq = body.IndexOf('=', i);
            var key = body[i..eq].Trim().TrimStart(',').Trim();
            var j = eq + 2; // past ="
            var value = new System.Text.StringBuilder();
            while (body[j] != '"')
            {
                if (body[j] == '\\')
                {
                    j++;
                    value.Append(body[j] == 'n' ? '\n' : body[j]);
                }
                else
                {
                    value.Append(body[j]);
                }
                j++;
            }
            labels[key] = value.ToString();
            i = j + 1;
        }
    }
}
