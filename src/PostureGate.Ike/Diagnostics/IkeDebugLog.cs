// Formats FortiOS ike debug lines as seen in the seed document:
//   ike V=root:0: udp comes 198.51.100.2:4500->198.51.100.1:4500,ifindex=0,len=466....
//   ike V=root:0:dialup:155: responder received AUTH msg
// The prefix is "V=<vdom>:<vdom index>:<phase1 or instance name>:<sa serial>".
using System.Net;

namespace PostureGate.Ike.Diagnostics;

public sealed class IkeDebugLog(IIkeDebugSink sink, string vdom = "root", int vdomIndex = 0)
{
    public IIkeDebugSink Sink { get; } = sink;

    public void Global(string message) => Sink.Write($"ike V={vdom}:{vdomIndex}: {message}");

    public void Sa(string name, long serial, string message) => Sink.Write($"ike V={vdom}:{vdomIndex}:{name}:{serial}: {message}");

    public void UdpComes(IPEndPoint remote, IPEndPoint local, int length) =>
        Global($"udp comes {remote}->{local},ifindex=0,vrf=0,len={length}....");

    public void UdpSend(IPEndPoint local, IPEndPoint remote, int length) =>
        Global($"sent IKE msg ({length}): {local}->{remote}");
}
