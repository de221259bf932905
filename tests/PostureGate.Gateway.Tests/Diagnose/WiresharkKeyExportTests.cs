// WiresharkKeyExport: the gateway's answer to `diagnose vpn ike keys` becomes Wireshark's two
// tables in DIR (0700, files 0600, replaced each time); an answer of another shape writes nothing.
using PostureGate.Gateway.Diagnose;

namespace PostureGate.Gateway.Tests.Diagnose;

public sealed class WiresharkKeyExportTests : IDisposable
{
    private const string IkeRecord = "0011223344556677,8899aabbccddeeff,00,11,\"AES-CBC-128 [RFC3602]\",22,33,\"HMAC_SHA2_256_128 [RFC4868]\"";
    private const string EspIn = "\"IPv4\",\"198.51.100.2\",\"198.51.100.1\",\"0xc0000001\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x00\",\"NULL\",\"0x\"";
    private const string EspOut = "\"IPv4\",\"198.51.100.1\",\"198.51.100.2\",\"0xc0000002\",\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x01\",\"NULL\",\"0x\"";
    private readonly string _root = Directory.CreateTempSubdirectory("pgkeys").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<string> AnswerAsync(IReadOnlyList<string?> ike, IReadOnlyList<string?> esp)
    {
        var w = new StringWriter();
        await WiresharkKeyExport.WriteAnswerAsync(w, ike, esp);
        return w.ToString();
    }

    [Fact]
    public async Task Answer_BecomesBothTables_OwnerOnly()
    {
        var dir = Path.Combine(_root, "keys");
        var written = WiresharkKeyExport.WriteTables(dir, await AnswerAsync([IkeRecord], [EspIn, EspOut]), out var error);

        Assert.Null(error);
        Assert.Equal(new WiresharkKeyExport.Written(1, 1, 0), written);
        Assert.Equal([IkeRecord], File.ReadAllLines(Path.Combine(dir, "ikev2_decryption_table")));
        Assert.Equal([EspIn, EspOut], File.ReadAllLines(Path.Combine(dir, "esp_sa")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "esp_sa")));
    }

    [Fact]
    public async Task Tables_AreReplaced_AndAWiderFileIsNarrowed()
    {
        var dir = Path.Combine(_root, "keys");
        Directory.CreateDirectory(dir);
        var old = Path.Combine(dir, "ikev2_decryption_table");
        File.WriteAllText(old, "stale\n");
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        WiresharkKeyExport.WriteTables(dir, await AnswerAsync([IkeRecord], []), out _);

        Assert.Equal([IkeRecord], File.ReadAllLines(old));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(old));
    }

    [Fact]
    public async Task UndecryptableTransforms_AreCountedAsSkipped()
    {
        var written = WiresharkKeyExport.WriteTables(Path.Combine(_root, "k"), await AnswerAsync([null], [null, null]), out _);
        Assert.Equal(new WiresharkKeyExport.Written(0, 0, 3), written);
    }

    [Theory]
    [InlineData("error: permission denied: vpn ike keys\n")]
    [InlineData("ikev2_decryption_table\n")] // a table name without a record
    public void AnotherAnswer_WritesNothing(string answer)
    {
        var dir = Path.Combine(_root, "never");
        Assert.Null(WiresharkKeyExport.WriteTables(dir, answer, out var error));
        Assert.StartsWith("unexpected answer from the gateway: ", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}
