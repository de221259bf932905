// `pgate gateway drain [--off]` reaches the IKE layer through the control socket, is a command that
// changes state (root or the socket's owner only), and `diagnose vpn ike redirect` shows it.
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Config;
using PostureGate.Gateway.Composition;
using PostureGate.Gateway.Control;

namespace PostureGate.Gateway.Tests.Composition;

public class GatewayHostDrainTests
{
    private static async Task<(int Rc, string Out)> Send(string socket, params string[] words)
    {
        var output = new StringWriter();
        var rc = await ControlClient.SendAsync(socket, new ControlRequest(words, false), output, CancellationToken.None);
        return (rc, output.ToString());
    }

    [Fact]
    public async Task Drain_on_and_off_over_the_control_socket()
    {
        var text = MinimalDialup.Config.Replace("set psksecret \"psk\"", "set psksecret \"psk\"\n        set redirect-gateway \"198.51.100.3\"", StringComparison.Ordinal);
        var loaded = ConfigLoader.Parse(text, "t.conf");
        Assert.True(loaded.Success, string.Join('\n', loaded.Diagnostics));
        var dir = Directory.CreateTempSubdirectory("pg-gw-drain");
        try
        {
            var socket = Path.Combine(dir.FullName, "gw.sock");
            await using var host = await GatewayHost.StartAsync(loaded.Config!, new GatewayHostOptions
            {
                ControlPath = socket,
                DataPlane = DataPlaneMode.Off,
                ListenAddress = IPAddress.Loopback,
                IkePort = 0,
                NatTPort = 0,
            }, NullLoggerFactory.Instance);
            Assert.True(host.Diagnose.ChangesState(["gateway", "drain", "on"]));
            Assert.False(host.Diagnose.ChangesState(["vpn", "ike", "redirect"]));

            var (rc, status) = await Send(socket, "vpn", "ike", "redirect");
            Assert.Equal(0, rc);
            Assert.Contains("draining: no", status);
            Assert.Contains("phase1 dialup: redirect-gateway 198.51.100.3; redirect-threshold 0 (only while draining)", status);

            (rc, var said) = await Send(socket, "gateway", "drain", "on");
            Assert.Equal(0, rc);
            Assert.StartsWith("draining:", said);
            Assert.True(host.Ike.Redirect.Draining);
            (_, status) = await Send(socket, "vpn", "ike", "redirect");
            Assert.Contains("draining: yes", status);

            (rc, _) = await Send(socket, "gateway", "drain", "sideways");
            Assert.Equal(2, rc);
            Assert.True(host.Ike.Redirect.Draining);

            (rc, said) = await Send(socket, "gateway", "drain", "off");
            Assert.Equal(0, rc);
            Assert.StartsWith("not draining", said);
            Assert.False(host.Ike.Redirect.Draining);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
