// `pgate client status`: what it prints from the status file a running session writes.
using System.CommandLine;
using System.Text.Json;

namespace PostureGate.Client.Tests;

public sealed class ClientCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgate-client-status-").FullName;

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = new RootCommand { ClientCommand.Create() }.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string s) => s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    // `--ztna-token-file` is read at the edge: a file that cannot be a token is one clear error, exit 2, no connection.
    [Theory]
    [InlineData("Empty", "")]
    [InlineData("TwoLines", "a.b.c\nd.e.f")]
    [InlineData("Binary", "a.b\u0001.c")]
    [InlineData("Spaces", "a.b .c")]
    public void ATokenFileThatCannotBeAToken_IsRefusedBeforeConnecting(string name, string content)
    {
        var psk = Path.Combine(_dir, "psk");
        File.WriteAllText(psk, "psk");
        var token = Path.Combine(_dir, name + ".jwt");
        File.WriteAllText(token, content);

        var (exit, _, _) = Run("client", "connect", "--gateway", "192.0.2.1", "--psk-file", psk, "--user", "u", "--once", "--ztna-token-file", token);

        Assert.Equal(2, exit);
    }

    [Fact]
    public void ATokenFile_IsSentAsItIs_ButLargerThanTheLimitIsRefused()
    {
        var file = Path.Combine(_dir, "token.jwt");
        File.WriteAllText(file, "eyJhbGciOiJub25lIn0.e30.\n");
        Assert.Equal("eyJhbGciOiJub25lIn0.e30.", ClientCommand.ReadToken(new FileInfo(file)));
        File.WriteAllText(file, new string('a', ClientCommand.MaxTokenFileBytes + 1));
        Assert.Throws<FormatException>(() => ClientCommand.ReadToken(new FileInfo(file)));
    }

    [Fact]
    public void StatusPrintsTheSessionFromTheStatusFile()
    {
        var path = Path.Combine(_dir, "status.json");
        var status = new ClientStatus("connected", "127.0.0.1:500", "dialup", "10.212.134.200", ["192.0.2.53"], ["203.0.113.0/24"],
            "6108A9179A5C40D7BD57504E15114C1F", "FCTEMS8800000001", ["all_registered_clients"], null,
            new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), null);
        File.WriteAllText(path, JsonSerializer.Serialize(status));

        var (exit, output, _) = Run("client", "status", "--status-file", path);

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                "state:        connected",
                "gateway:      127.0.0.1:500",
                "instance:     dialup",
                "address:      10.212.134.200",
                "dns:          192.0.2.53",
                "split:        203.0.113.0/24",
                "uid:          6108A9179A5C40D7BD57504E15114C1F",
                "ems serial:   FCTEMS8800000001",
                "tags:         all_registered_clients",
                "token expires: -",
                "connected:    2026-11-27 10:00:00Z",
            ],
            Lines(output));
    }

    [Fact]
    public void StatusShowsTheLastErrorOfAFailedSession()
    {
        var path = Path.Combine(_dir, "failed.json");
        var status = new ClientStatus("failed", "127.0.0.1:500", null, null, [], [], null, null, [], null, null, "ZTNA_TAGS_CHECK_FAILURE (16128)");
        File.WriteAllText(path, JsonSerializer.Serialize(status));

        var (exit, output, _) = Run("client", "status", "--status-file", path);

        Assert.Equal(0, exit);
        Assert.Contains("state:        failed", Lines(output));
        Assert.Contains("instance:     -", Lines(output));
        Assert.Contains("last error:   ZTNA_TAGS_CHECK_FAILURE (16128)", Lines(output));
    }

    [Fact]
    public void StatusJsonPrintsTheFileAsItIs()
    {
        var path = Path.Combine(_dir, "json.json");
        File.WriteAllText(path, "{\"State\":\"waiting\"}");

        var (exit, output, _) = Run("client", "status", "--status-file", path, "--json");

        Assert.Equal(0, exit);
        Assert.Equal(["{\"State\":\"waiting\"}"], Lines(output));
    }

    [Fact]
    public void StatusWithoutASessionSaysSoAndExitsOne()
    {
        var path = Path.Combine(_dir, "absent.json");

        var (exit, output, error) = Run("client", "status", "--status-file", path);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("no client session", error);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
