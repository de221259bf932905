// Where each dial-up phase1 listens (FortiOS: the address of its `set interface`). An operator's
// --listen overrides it; with one loopback address per phase1 (`pgate up`: 127.0.0.1 for the
// first dial-up phase1, 127.0.0.2 for the second, …) each tunnel gets its own address on one host,
// as each FortiGate interface has its own.
using System.Net;
using System.Net.Sockets;
using PostureGate.Config.Model;

namespace PostureGate.Gateway.Net;

public static class ListenAddresses
{
    /// <summary>The address <paramref name="p1"/> listens on, given the dial-up phase1s and the operator's override.</summary>
    public static IPAddress Of(IEnumerable<Phase1Interface> phase1s, Phase1Interface p1, IPAddress? listen, bool loopbackPerPhase1)
    {
        if (listen is null)
            return p1.Interface.HasAddress ? p1.Interface.Ip.Address : IPAddress.Any;
        if (!loopbackPerPhase1 || !IPAddress.IsLoopback(listen) || listen.AddressFamily != AddressFamily.InterNetwork)
            return listen;
        var index = phase1s.Where(p => p.Type == Phase1Type.Dynamic).Select(p => p.Name).ToList().IndexOf(p1.Name);
        var b = listen.GetAddressBytes();
        b[3] = (byte)(b[3] + Math.Max(0, index));
        return new IPAddress(b);
    }
}
