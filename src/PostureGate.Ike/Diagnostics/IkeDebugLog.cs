// Formats FortiOS ike debug lines as seen in the seed document:
//   ike V=root:0: udp comes 198.51.100.2:4500->198.51.100.1:4500,ifindex=7,vrf=0,len=466....
//   ike V=root:0:dialup:dialup: created connection: 0x6ecfdf2e28b829cf 7 198.51.100.1->198.51.100.2:4500.
//   ike V=root:0:dialup:155: responder received AUTH msg
//   ike V=root:0:dialup_0: EMS ZTNA token tags check success ZTNA_a        (the tunnel's, no SA)
//   ike V=root:dialup Negotiate SA Error: EMS ZTNA tags check failed
// The usual prefix is "V=<vdom>:<vdom index>:<phase1 or instance name>:<sa serial>".
// Nothing is formatted unless the sink is enabled: an interpolated message goes through
// IkeDebugLineHandler, which skips its holes when nobody listens (about 40 lines per SA).
using System.Net;
using System.Runtime.CompilerServices;

namespace PostureGate.Ike.Diagnostics;

public sealed class IkeDebugLog(IIkeDebugSink sink, string vdom = "root", int vdomIndex = 0)
{
    public IIkeDebugSink Sink { get; } = sink;

    internal string Vdom { get; } = vdom;

    internal int VdomIndex { get; } = vdomIndex;

    /// <summary>Whether lines are wanted now (someone listens at a level that includes ike).</summary>
    public bool IsEnabled => Sink.IsEnabled;

    public void Global(string message)
    {
        if (Sink.IsEnabled)
            Sink.Write($"ike V={Vdom}:{VdomIndex}: {message}");
    }

    public void Global([InterpolatedStringHandlerArgument("")] ref IkeDebugLineHandler message)
    {
        if (message.Enabled)
            Sink.Write(message.ToStringAndClear());
    }

    public void Sa(string name, long serial, string message)
    {
        if (Sink.IsEnabled)
            Sink.Write($"ike V={Vdom}:{VdomIndex}:{name}:{serial}: {message}");
    }

    public void Sa(string name, long serial, [InterpolatedStringHandlerArgument("", "name", "serial")] ref IkeDebugLineHandler message)
    {
        if (message.Enabled)
            Sink.Write(message.ToStringAndClear());
    }

    /// <summary>A line about a tunnel rather than one IKE SA: "ike V=root:0:dialup_0: …".</summary>
    public void Tunnel(string name, string message)
    {
        if (Sink.IsEnabled)
            Sink.Write($"ike V={Vdom}:{VdomIndex}:{name}: {message}");
    }

    /// <summary>FortiOS's negotiation error line: "ike V=root:dialup Negotiate SA Error: …" (no index, no serial).</summary>
    public void NegotiateError(string name, string error)
    {
        if (Sink.IsEnabled)
            Sink.Write($"ike V={Vdom}:{name} Negotiate SA Error: {error}");
    }

    /// <summary>
    /// A new peer for a phase1: FortiOS prints its connection object's address; ours is named by the
    /// responder SPI, which identifies the IKE SA for its whole life.
    /// </summary>
    public void Connection(string phase1, ulong id, int interfaceIndex, IPAddress local, IPEndPoint remote)
    {
        if (Sink.IsEnabled)
            Sink.Write($"ike V={Vdom}:{VdomIndex}:{phase1}:{phase1}: created connection: 0x{id:x} {interfaceIndex} {local}->{remote}.");
    }

    public void UdpComes(IPEndPoint remote, IPEndPoint local, int interfaceIndex, int length) =>
        Global($"udp comes {remote}->{local},ifindex={interfaceIndex},vrf=0,len={length}....");

    public void UdpSend(IPEndPoint local, IPEndPoint remote, int length) =>
        Global($"sent IKE msg ({length}): {local}->{remote}");
}
