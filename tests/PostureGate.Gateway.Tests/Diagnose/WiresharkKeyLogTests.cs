// WiresharkKeyLog: the key tables are owner-only (0600, in a 0700 directory), a file left from
// before with wider rights is narrowed before a key goes in, and each installed CHILD_SA gives
// one esp_sa record per direction with the right SPI, addresses and keys.
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Gateway.Diagnose;
using PostureGate.Testing;

namespace PostureGate.Gateway.Tests.Diagnose;

public sealed class WiresharkKeyLogTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-wskeys-" + Guid.NewGuid().ToString("N"));

    private static readonly IPEndPoint Gateway = new(IPAddress.Parse("203.0.113.5"), 4500);

    private static byte[] Key(byte b) => Enumerable.Repeat(b, 20).ToArray();

    private static string Hex(byte b) => Convert.ToHexStringLower(Key(b));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Open_CreatesOwnerOnlyFiles_AndNarrowsAWiderOldOne()
    {
        Directory.CreateDirectory(_dir);
        var old = Path.Combine(_dir, "esp_sa");
        File.WriteAllText(old, "");
        File.SetUnixFileMode(old, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using (WiresharkKeyLog.Open(_dir, NullLogger.Instance))
        {
        }

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_dir, "ikev2_decryption_table")));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(old));
    }

    [Fact]
    public void ChildSa_OneRecordPerDirection()
    {
        using (var log = WiresharkKeyLog.Open(_dir, NullLogger.Instance))
            log.ChildSa(ClientInstallations.Make([], Gateway, inboundKey: Key(0x01), outboundKey: Key(0x02)));

        var lines = File.ReadAllLines(Path.Combine(_dir, "esp_sa"));
        Assert.Equal(2, lines.Length);
        // Inbound: from the peer (here the gateway the client dialled) to us; the key with its salt (RFC 4106 §8.1).
        Assert.Equal($"\"IPv4\",\"203.0.113.5\",\"198.51.100.2\",\"0x00001000\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x{Hex(0x01)}\",\"NULL\",\"0x\"", lines[0]);
        Assert.Equal($"\"IPv4\",\"198.51.100.2\",\"203.0.113.5\",\"0x00002000\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x{Hex(0x02)}\",\"NULL\",\"0x\"", lines[1]);
    }
}
