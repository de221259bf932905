// `pgate diagnose vpn ike keys --wireshark DIR`: the running gateway's current IKE SAs and
// CHILD_SAs as Wireshark's `ikev2_decryption_table` and `esp_sa` (Ike/Diagnostics/WiresharkKeyFormat.cs),
// written by the CLI into DIR (0700) as two 0600 files. The gateway answers over its control socket
// (root or its owner only); each record travels as "TABLE RECORD" on a line of its own, and the
// CLI writes files, never the terminal, so no key lands in a scrollback or a log.
using PostureGate.Ike.Diagnostics;

namespace PostureGate.Gateway.Diagnose;

public static class WiresharkKeyExport
{
    public const string Words = "vpn ike keys";
    private const string SkippedWord = "skipped";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The gateway's answer: one line per record, "skipped TABLE" for a transform Wireshark cannot decrypt.</summary>
    public static async Task WriteAnswerAsync(TextWriter output, IReadOnlyList<string?> ike, IReadOnlyList<string?> esp)
    {
        foreach (var (table, records) in new[] { (WiresharkKeyFormat.IkeTableFile, ike), (WiresharkKeyFormat.EspTableFile, esp) })
        {
            foreach (var r in records)
                await output.WriteAsync(r is null ? $"{SkippedWord} {table}\n" : $"{table} {r}\n").ConfigureAwait(false);
        }
    }

    /// <summary>What was written: records per table, and the SAs skipped.</summary>
    public sealed record Written(int IkeSas, int EspSas, int Skipped);

    /// <summary>
    /// Writes the tables in <paramref name="answer"/> to <paramref name="directory"/>, replacing what
    /// was there (they describe the SAs of now). Null with <paramref name="error"/> when the answer is
    /// not one (a line of another shape: nothing is written).
    /// </summary>
    public static Written? WriteTables(string directory, string answer, out string? error)
    {
        var ike = new List<string>();
        var esp = new List<string>();
        var skipped = 0;
        foreach (var line in answer.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (head, rest) = space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
            switch (head)
            {
                case WiresharkKeyFormat.IkeTableFile when rest.Length > 0:
                    ike.Add(rest);
                    break;
                case WiresharkKeyFormat.EspTableFile when rest.Length > 0:
                    esp.Add(rest);
                    break;
                case SkippedWord:
                    skipped++;
                    break;
                default:
                    error = $"unexpected answer from the gateway: {line}";
                    return null;
            }
        }
        error = null;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        WriteTable(Path.Combine(directory, WiresharkKeyFormat.IkeTableFile), ike);
        WriteTable(Path.Combine(directory, WiresharkKeyFormat.EspTableFile), esp);
        return new Written(ike.Count, esp.Count / 2, skipped);
    }

    private static void WriteTable(string path, List<string> records)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
        });
        // A file left from before with wider rights is narrowed before a key goes into it.
        File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnly);
        using var writer = new StreamWriter(stream) { NewLine = "\n" };
        foreach (var r in records)
            writer.WriteLine(r);
    }
}
