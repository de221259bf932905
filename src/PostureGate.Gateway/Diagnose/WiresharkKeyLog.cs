// `pgate gateway --wireshark-keys DIR`: appends every IKE SA's and CHILD_SA's keys to
// Wireshark's `ikev2_decryption_table` and `esp_sa` files in DIR (formats in
// Ike/Diagnostics/WiresharkKeyFormat.cs), so a capture of the exchange decrypts. Off unless
// asked; the files are created 0600 in a 0700 directory and each start warns loudly.
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Diagnostics;
using PostureGate.Kernel;

namespace PostureGate.Gateway.Diagnose;

public sealed class WiresharkKeyLog : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly Lock _sync = new();
    private readonly StreamWriter _ike, _esp;
    private readonly ILogger _log;

    private WiresharkKeyLog(StreamWriter ike, StreamWriter esp, ILogger log)
    {
        _ike = ike;
        _esp = esp;
        _log = log;
    }

    /// <summary>Opens (appends to) both tables in <paramref name="directory"/>; throws IOException/UnauthorizedAccessException with the path.</summary>
    public static WiresharkKeyLog Open(string directory, ILogger log)
    {
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var ike = OpenTable(Path.Combine(directory, WiresharkKeyFormat.IkeTableFile));
        StreamWriter esp;
        try
        {
            esp = OpenTable(Path.Combine(directory, WiresharkKeyFormat.EspTableFile));
        }
        catch
        {
            ike.Dispose();
            throw;
        }
        log.LogWarning("WIRESHARK KEYS ON: every IKE and ESP session key is written to {Directory} ({Ike}, {Esp}); " +
            "whoever reads these files decrypts the captured traffic. Turn --wireshark-keys off and delete the files when done",
            Path.GetFullPath(directory), WiresharkKeyFormat.IkeTableFile, WiresharkKeyFormat.EspTableFile);
        return new WiresharkKeyLog(ike, esp, log);
    }

    private static StreamWriter OpenTable(string path)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = OwnerOnly,
        });
        // A file left from before with wider rights is narrowed before a key goes into it.
        File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnly);
        return new StreamWriter(stream) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>IkeSaManagerOptions.KeyLog: one `ikev2_decryption_table` record.</summary>
    public void IkeSa(ulong spiI, ulong spiR, IkeSaKeys keys)
    {
        Write(_ike, WiresharkKeyFormat.IkeRecord(spiI, spiR, keys), $"IKE SA {spiI:x16}/{spiR:x16} ({keys.Suite})");
    }

    /// <summary>Both directions of a CHILD_SA as two `esp_sa` records (inbound: peer to us).</summary>
    public void ChildSa(ChildSaInstallation sa)
    {
        var (inbound, outbound) = WiresharkKeyFormat.EspRecords(sa);
        Write(_esp, inbound, $"CHILD_SA {sa.InboundSpi:x8} ({sa.Encryption})");
        Write(_esp, outbound, $"CHILD_SA {sa.OutboundSpi:x8} ({sa.Encryption})");
    }

    private void Write(StreamWriter table, string? line, string what)
    {
        if (line is null)
        {
            _log.LogWarning("wireshark keys: {What} uses a transform Wireshark cannot decrypt; not written", what);
            return;
        }
        lock (_sync)
        {
            try
            {
                table.WriteLine(line);
            }
            catch (IOException e)
            {
                _log.LogWarning("wireshark keys: writing {What} failed: {Error}", what, e.Message);
            }
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _ike.Dispose();
            _esp.Dispose();
        }
    }
}
