using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Gateway.Net;

namespace PostureGate.Gateway.Tests.Net;

public class UdpIkeEndpointTests
{
    // A NAT-T socket on loopback whose IKE and ESP sinks write into the channels (and the IKE
    // datagrams' interface indexes into the list, when given).
    private static UdpIkeEndpoint NatTEndpoint(Channel<byte[]> ike, Channel<byte[]> esp, List<int>? interfaces = null)
    {
        var ep = UdpIkeEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0), natT: true, (m, _, _, i) =>
        {
            if (interfaces is not null)
                lock (interfaces)
                    interfaces.Add(i);
            ike.Writer.TryWrite(m.ToArray());
        }, NullLogger.Instance);
        ep.Esp = (m, _, _) => esp.Writer.TryWrite(m.ToArray());
        return ep;
    }

    [Fact]
    public async Task Nat_t_port_strips_the_marker_for_ike_and_passes_esp_whole()
    {
        var (ike, esp) = (Channel.CreateUnbounded<byte[]>(), Channel.CreateUnbounded<byte[]>());
        var interfaces = new List<int>();
        await using var ep = NatTEndpoint(ike, esp, interfaces);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.SendTo(new byte[] { 0xFF }, ep.Local);
        var ikeMessage = Enumerable.Range(1, 28).Select(i => (byte)i).ToArray();
        peer.SendTo([0, 0, 0, 0, .. ikeMessage], ep.Local);
        peer.SendTo(new byte[] { 0, 0, 1, 0, 0, 0, 0, 7, 0x42 }, ep.Local);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(ikeMessage, await ike.Reader.ReadAsync(cts.Token));
        Assert.Equal(new byte[] { 0, 0, 1, 0, 0, 0, 0, 7, 0x42 }, await esp.Reader.ReadAsync(cts.Token));
        Assert.False(ike.Reader.TryRead(out _)); // the keepalive went nowhere
        // The interface it arrived on, as `udp comes …,ifindex=N` prints it: loopback's kernel index.
        Assert.Equal([int.Parse(File.ReadAllText("/sys/class/net/lo/ifindex").Trim())], interfaces);

        // Sending IKE on the NAT-T port puts the marker back.
        ep.SendIke(new byte[] { 1, 2, 3 }, (IPEndPoint)peer.LocalEndPoint!);
        var buf = new byte[16];
        var n = await peer.ReceiveAsync(buf, SocketFlags.None, cts.Token);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3 }, buf[..n]);
    }

    [Fact]
    public async Task Esp_without_a_data_plane_is_dropped_and_counted()
    {
        var ike = Channel.CreateUnbounded<byte[]>();
        await using var ep = UdpIkeEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0), natT: true,
            (m, _, _, _) => ike.Writer.TryWrite(m.ToArray()), NullLogger.Instance);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.SendTo(new byte[] { 0, 0, 1, 0, 0, 0, 0, 7 }, ep.Local);
        var ikeMessage = Enumerable.Repeat((byte)9, 28).ToArray();
        peer.SendTo([0, 0, 0, 0, .. ikeMessage], ep.Local); // then IKE, to know the first was processed
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(ikeMessage, await ike.Reader.ReadAsync(cts.Token));
        Assert.Equal(1, ep.Dropped);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    public async Task A_reserved_spi_is_neither_esp_nor_ike_and_is_dropped(byte spi)
    {
        // RFC 4303 §2.1: SPIs 1-255 are reserved; the data plane would refuse them, so the socket does too.
        var (ike, esp) = (Channel.CreateUnbounded<byte[]>(), Channel.CreateUnbounded<byte[]>());
        await using var ep = NatTEndpoint(ike, esp);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.SendTo(new byte[] { 0, 0, 0, spi, 0, 0, 0, 7, 0x42 }, ep.Local);
        var ikeMessage = Enumerable.Repeat((byte)9, 28).ToArray();
        peer.SendTo([0, 0, 0, 0, .. ikeMessage], ep.Local); // then IKE, to know the first was processed
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(ikeMessage, await ike.Reader.ReadAsync(cts.Token));
        Assert.False(esp.Reader.TryRead(out _));
        Assert.Equal(1, ep.Dropped);
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_port_is_refused()
    {
        await using var first = UdpIkeEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0), natT: false, (_, _, _, _) => { }, NullLogger.Instance);
        var ex = Assert.Throws<SocketException>(() =>
            UdpIkeEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, first.Local.Port), natT: false, (_, _, _, _) => { }, NullLogger.Instance));
        Assert.Equal(SocketError.AddressAlreadyInUse, ex.SocketErrorCode);
    }

    [Fact]
    public async Task Wildcard_and_specific_address_on_one_port_bind_when_shared()
    {
        await using var wildcard = UdpIkeEndpoint.Bind(new IPEndPoint(IPAddress.Any, 0), natT: false, (_, _, _, _) => { }, NullLogger.Instance, shareAddress: true);
        await using var specific = UdpIkeEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, wildcard.Local.Port), natT: false, (_, _, _, _) => { }, NullLogger.Instance, shareAddress: true);
        Assert.Equal(wildcard.Local.Port, specific.Local.Port);
    }
}
