// Outbound: host to network (wireguard-go send.go).
//
//  1. The TUN device yields a batch of inner packets, each read behind the ESP headroom.
//  2. The IPv4 destination picks the tunnel and its current outbound SA (the SAD's routing key).
//  3. The firewall policy is asked.
//  4. The SA seals the packet in place: header and IV in the headroom, trailer and ICV behind.
//  5. The batch of ESP packets goes to each SA's peer endpoint in one sendmmsg (on its own thread when pipelined).
using PostureGate.Esp.Devices;
using PostureGate.Esp.Wire;

namespace PostureGate.Esp;

public sealed partial class EspDataPlane
{
    // Steps 1-4: one batch from the TUN device, sealed into batch.Output.
    private int ReadFromTunStage(PacketBatch batch, CancellationToken token)
    {
        foreach (var buffer in batch.Buffers)
            buffer.ResetForInner();
        var n = _tun.Read(batch.Buffers, token);
        CountBatch(ref _txBatches, ref _txBatchPackets, n);
        return ProcessOutbound(batch.Buffers.AsSpan(0, n), batch.Output);
    }

    // Step 5.
    private void SendStage(PacketBatch batch) => _bind.Send(batch.Output.AsSpan(0, batch.Count));

    /// <summary>
    /// Steps 2-4 for a batch of inner packets; the sealed ones are placed in <paramref name="send"/>
    /// with their destinations set. Returns how many.
    /// </summary>
    internal int ProcessOutbound(ReadOnlySpan<PacketBuffer> inner, Span<PacketBuffer> send)
    {
        var count = 0;
        var now = _time.GetTimestamp();
        foreach (var packet in inner)
        {
            var data = packet.Data;
            if (!InnerPacket.TryReadIpv4Destination(data, out var destination)
                || _sad.FindOutbound(destination) is not { } sa)
            {
                Interlocked.Increment(ref _noRoute);
                continue;
            }
            var tunnel = sa.Tunnel;
            if (!_options.Policy.AllowOutbound(data, tunnel.Id))
            {
                sa.CountPolicyDrop();
                continue;
            }
            var length = packet.Length;
            if (!sa.Seal(packet, (byte)EspNextHeader.Ipv4))
            {
                Interlocked.Increment(ref _outboundDrops);
                continue;
            }
            tunnel.CountTx(length, now);
            send[count++] = packet;
        }
        return count;
    }
}
