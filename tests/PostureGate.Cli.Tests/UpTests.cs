using System.CommandLine;
using System.Net;
using System.Text;
using PostureGate.Cli;
using PostureGate.Client;

namespace PostureGate.Cli.Tests;

/// <summary>
/// The README's main job: `pgate up` brings up the EMS and the gateway with examples/dialup.conf
/// on loopback, prints how to connect, and a client that follows those instructions gets a tunnel:
/// it enrolls with the invitation and proves its UID with the device certificate (issue 10).
/// </summary>
public sealed class UpTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pgup").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Up_runs_ems_and_gateway_and_a_client_following_its_instructions_connects()
    {
        var ike = TestHost.FreeUdpPort();
        var natt = TestHost.FreeUdpPort();
        var ems = TestHost.FreeTcpPort();
        var output = new SignalWriter("Ctrl-C stops everything.");
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var run = Task.Run(() => Program.BuildRoot().Parse([
            "up", "--config", TestHost.ExamplePath(), "--data", _dir, "--ems-listen", $"https://127.0.0.1:{ems}",
            "--ike-port", $"{ike}", "--natt-port", $"{natt}", "--data-plane", "off"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() }, stop.Token));
        var ready = await Task.WhenAny(output.Seen, run, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.True(ready == output.Seen, "pgate up did not come up:\n" + output);

        var text = output.ToString();
        Assert.Contains($"EMS             https://127.0.0.1:{ems}", text);
        Assert.Contains($"127.0.0.1:{ike}", text);
        var fingerprint = text.Split('\n').Single(l => l.Contains("EMS fingerprint")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2].Trim();
        Assert.Contains("diagnose --control", text);
        // The printed command enrolls with the invitation up made (a file only its owner reads).
        var inviteFile = System.Text.RegularExpressions.Regex.Match(text, @"--invite-file (\S+)").Groups[1].Value;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(inviteFile));

        // Follow the printed command of the first tunnel: no PSK (the gateway signs), the device certificate
        // and the gateway's CA instead; the password file is owner-only and holds the configuration's secret.
        Assert.DoesNotContain("--psk-file", text);
        Assert.Contains("--device-cert --gateway-ca ", text);
        var gatewayCa = System.Text.RegularExpressions.Regex.Match(text, @"--gateway-ca (\S+)").Groups[1].Value;
        var passwordFile = System.Text.RegularExpressions.Regex.Match(text, @"--password-file (\S+)").Groups[1].Value;
        var printedUser = System.Text.RegularExpressions.Regex.Match(text, @"--user (\S+)").Groups[1].Value;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "gateway-ca.key")));
        ClientSettings Settings(bool deviceCertificate) => new()
        {
            Gateway = new IPEndPoint(IPAddress.Loopback, ike),
            GatewayName = "127.0.0.1",
            GatewayCa = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(gatewayCa)),
            NatTPort = natt,
            Psk = [],
            User = printedUser,
            Password = File.ReadAllText(passwordFile),
            Ems = new Uri($"https://127.0.0.1:{ems}"),
            EmsFingerprint = fingerprint,
            InviteCode = File.ReadAllText(inviteFile).Trim(),
            DeviceDirectory = Path.Combine(_dir, "devices"),
            DeviceCertificate = deviceCertificate,
            Reconnect = false,
        };
        await using (var client = new ClientSession(Settings(deviceCertificate: true), TextWriter.Null))
        {
            var result = await client.ConnectOnceAsync(stop.Token);
            Assert.True(result.Success, result.Error ?? result.ChildError);
            // Example 1: the tag all_registered_clients admits it, with the first address of dialup_range.
            Assert.Equal(IPAddress.Parse("10.212.134.200"), result.VirtualIp);
            await client.DisconnectAsync();
        }
        // The same enrolled endpoint and user naming its UID without proving the certificate: the seed's
        // claim, which up's tunnels do not take (the device round is required).
        await using (var claimOnly = new ClientSession(Settings(deviceCertificate: false), TextWriter.Null))
        {
            var refused = await claimOnly.ConnectOnceAsync(stop.Token);
            Assert.False(refused.Success, "admitted without the device certificate");
            Assert.Null(refused.VirtualIp);
        }

        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(File.Exists(Path.Combine(_dir, "pgate.sock")), "the control socket is removed on stop");
    }

    /// <summary>Collects output and signals when a given line appears.</summary>
    private sealed class SignalWriter(string marker) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override void WriteLine(string? value)
        {
            lock (this)
                base.WriteLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
                _seen.TrySetResult();
        }

        public override string ToString()
        {
            lock (this)
                return base.ToString();
        }
    }
}
