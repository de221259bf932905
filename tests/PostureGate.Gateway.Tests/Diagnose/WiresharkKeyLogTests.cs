// WiresharkKeyLog: the key tables are owner-only (0600, in a 0700 directory), a file left from
// before with wider rights is narrowed before a key goes in, and each installed CHILD_SA gives
// one esp_sa record per direction with the right SPI, addresses and keys.
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Gateway.Diagnose;
using PostureGate.Kernel;
using PostureGate.Proposals;

namespace PostureGate.Gateway.Tests.Diagnose;

public sealed class WiresharkKeyLogTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-wskeys-" + Guid.NewGuid().ToString("N"));

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
            log.ChildSa(Installation());

        var lines = File.ReadAllLines(Path.Combine(_dir, "esp_sa"));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("\"IPv4\",\"198.51.100.2\",\"198.51.100.1\",\"0x0000aaaa\",\"AES-CBC [RFC3602]\",\"0x0101\"", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("\"IPv4\",\"198.51.100.1\",\"198.51.100.2\",\"0x0000bbbb\",\"AES-CBC [RFC3602]\",\"0x0202\"", lines[1], StringComparison.Ordinal);
    }

    private static ChildSaInstallation Installation() => new()
    {
        Instance = "dialup_0",
        ChildName = "dialup",
        LocalEndpoint = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 4500),
        PeerEndpoint = new IPEndPoint(IPAddress.Parse("198.51.100.2"), 4500),
        UdpEncapsulation = true,
        InboundSpi = 0xaaaa,
        OutboundSpi = 0xbbbb,
        Encryption = EncryptionAlgorithm.AesCbc,
        EncryptionKeyBits = 128,
        Integrity = IntegrityAlgorithm.HmacSha2_256_128,
        ExtendedSequenceNumbers = false,
        InboundKeys = new EspKeys([1, 1], [3]),
        OutboundKeys = new EspKeys([2, 2], [4]),
        ReplayWindow = 64,
        LocalSelectors = [],
        RemoteSelectors = [],
        SoftLifetime = TimeSpan.FromHours(1),
        HardLifetime = TimeSpan.FromHours(2),
    };
}
