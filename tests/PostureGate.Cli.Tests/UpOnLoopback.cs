// `pgate up` with the example configuration on free loopback ports, without the data plane, its
// phase1s as written (`--seed-auth`: a PSK, no device certificate), and the arguments a `pgate client`
// needs to reach it as userc (PSK and password files in the working directory): what the process
// tests that need a running gateway and EMS share.
namespace PostureGate.Cli.Tests;

internal sealed record UpOnLoopback(PgateProcess Process, int IkePort, int NatTPort)
{
    /// <summary>Starts `pgate up` in <paramref name="cwd"/> with <paramref name="extraArgs"/>; writes psk and password there (<paramref name="password"/>).</summary>
    public static UpOnLoopback Start(string cwd, string password, params string[] extraArgs)
    {
        var ike = TestHost.FreeUdpPort();
        var natt = TestHost.FreeUdpPort();
        var ems = TestHost.FreeTcpPort();
        File.WriteAllText(Path.Combine(cwd, "psk"), "example-dialup-psk\n");
        File.WriteAllText(Path.Combine(cwd, "password"), password + "\n");
        var up = PgateProcess.Start(cwd, ["up", "--config", TestHost.ExamplePath(), "--ems-listen", $"https://127.0.0.1:{ems}",
            "--ike-port", $"{ike}", "--natt-port", $"{natt}", "--data-plane", "off", "--seed-auth", .. extraArgs]);
        return new UpOnLoopback(up, ike, natt);
    }

    /// <summary>`client SUBCOMMAND` against this gateway as userc, then <paramref name="extraArgs"/>.</summary>
    public string[] Client(string subcommand, params string[] extraArgs) =>
        ["client", subcommand, "--gateway", $"127.0.0.1:{IkePort}", "--natt-port", $"{NatTPort}",
         "--psk-file", "psk", "--user", "userc", "--password-file", "password", .. extraArgs];
}
