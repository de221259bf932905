// `pgate client bench --rate N/s --source ADDRESS`: read at the edge; a bad value is one line and exit 2, nothing sent.
using System.CommandLine;

namespace PostureGate.Client.Tests;

public sealed class ClientBenchOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgate-client-bench-").FullName;

    private (int Exit, string Err) Bench(params string[] extra)
    {
        var psk = Path.Combine(_dir, "psk");
        File.WriteAllText(psk, "psk");
        var pw = Path.Combine(_dir, "pw");
        File.WriteAllText(pw, "pw");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            string[] args = ["client", "bench", "--gateway", "192.0.2.1", "--psk-file", psk, "--user", "u", "--password-file", pw, "-n", "1", .. extra];
            var exit = new RootCommand { ClientCommand.Create() }.Parse(args).Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = error });
            return (exit, error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    [Theory]
    [InlineData("100/s", 100)]
    [InlineData("167", 167)]
    [InlineData(" 2.5/s ", 2.5)]
    public void RatesInConnectionsPerSecond_AreRead(string text, double expected)
    {
        Assert.True(ClientCommand.TryParseRate(text, out var perSecond));
        Assert.Equal(expected, perSecond);
    }

    [Theory]
    [InlineData("0/s")]
    [InlineData("-5/s")]
    [InlineData("fast")]
    [InlineData("100/m")]
    [InlineData("2000000/s")]
    [InlineData("")]
    public void ANonRate_IsRefused(string text) => Assert.False(ClientCommand.TryParseRate(text, out _));

    [Fact]
    public void ABadRate_IsOneLineAndExitTwo()
    {
        var (exit, err) = Bench("--rate", "lots");

        Assert.Equal(2, exit);
        Assert.Equal("pgate client bench: --rate lots: not a rate; give connections per second as N/s (N from 1 to 1000000)", err.Trim());
    }

    [Theory]
    [InlineData("not-an-address", "--source not-an-address: not an IP address")]
    [InlineData("2001:db8::1", "--source 2001:db8::1: not of the gateway's address family (192.0.2.1)")]
    [InlineData("198.51.100.9-198.51.100.2", "--source 198.51.100.9-198.51.100.2: a range runs from its first to its last address, at most 4096 of them")]
    [InlineData("198.51.100.2-x", "--source 198.51.100.2-x: not an IP address")]
    public void ABadSource_IsOneLineAndExitTwo(string source, string message)
    {
        var (exit, err) = Bench("--source", source);

        Assert.Equal(2, exit);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ASourceRange_IsEveryAddressFromFirstToLast()
    {
        var gateway = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 500);

        Assert.Equal(["198.51.100.254", "198.51.100.255", "198.51.101.0"],
            ClientCommand.ParseSources("198.51.100.254-198.51.101.0", gateway).Select(a => a.ToString()));
        Assert.Equal(["203.0.113.7"], ClientCommand.ParseSources("203.0.113.7", gateway).Select(a => a.ToString()));
    }
}
