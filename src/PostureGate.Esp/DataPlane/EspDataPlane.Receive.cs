// Inbound: network to host (wireguard-go receive.go).
//
//  1. The bind receives a batch of UDP datagrams on the NAT-T port (recvmmsg).
//  2. RFC 3948 demultiplexing: IKE goes to the IKE handler, keepalives are counted, the rest is ESP.
//  3. The SA is found by SPI; replay check, ICV check and decryption happen in place (InboundSa).
//  4. The inner source must match the SA's selectors; then the firewall policy is asked.
//  5. The batch of inner packets is written to the TUN device (on its own thread when pipelined).
using PostureGate.Esp.Devices;
using PostureGate.Esp.Sad;
using PostureGate.Esp.Wire;
using PostureGate.Net;

namespace PostureGate.Esp;

public sealed partial class EspDataPlane
{
    // Steps 1-4: one batch from the socket, opened into batch.Output.
    private int ReceiveStage(PacketBatch batch, CancellationToken token)
    {
        var n = _bind.Receive(batch.Buffers, token);
        CountBatch(ref _rxBatches, ref _rxBatchPackets, n);
        return ProcessInbound(batch.Buffers.AsSpan(0, n), batch.Output);
    }

    // Step 5.
    private void WriteToTunStage(PacketBatch batch) => _tun.Write(batch.Output.AsSpan(0, batch.Count));

    /// <summary>
    /// Steps 2-4 for a batch of received datagrams. The inner packets to write to the TUN device
    /// are placed in <paramref name="deliver"/> (their buffers re-pointed at the inner packet); returns how many.
    /// </summary>
    internal int ProcessInbound(ReadOnlySpan<PacketBuffer> received, Span<PacketBuffer> deliver)
    {
        var count = 0;
        var now = _time.GetTimestamp();
        foreach (var packet in received)
        {
            var data = packet.Data;
            switch (UdpEncapsulation.Classify(data))
            {
                case UdpEncapsulatedKind.Esp:
                    if (OpenEsp(packet, data) is { } tunnel)
                    {
                        tunnel.CountRx(packet.Length, now);
                        deliver[count++] = packet;
                    }
                    break;
                case UdpEncapsulatedKind.Ike:
                    Interlocked.Increment(ref _ikeDatagrams);
                    DispatchIke(packet, data);
                    break;
                case UdpEncapsulatedKind.NatKeepalive:
                    Interlocked.Increment(ref _natKeepalives);
                    break;
                default:
                    Interlocked.Increment(ref _invalidDatagrams);
                    break;
            }
        }
        return count;
    }

    // Step 3-4 for one ESP packet; on success re-points the buffer at the inner packet.
    private Tunnel? OpenEsp(PacketBuffer packet, Span<byte> esp)
    {
        EspHeader.TryRead(esp, out var header);
        if (!_sad.TryGetInbound(header.Spi, out var sa))
        {
            Interlocked.Increment(ref _unknownSpi);
            return null;
        }
        if (sa.Open(esp, header.SequenceNumber, out var innerOffset, out var innerLength) != InboundResult.Delivered)
            return null;
        var inner = esp.Slice(innerOffset, innerLength);
        if (!_options.Policy.AllowInbound(inner, sa.Tunnel.Id))
        {
            sa.CountPolicyDrop();
            return null;
        }
        packet.Offset += innerOffset;
        packet.Length = innerLength;
        return sa.Tunnel;
    }

    private void DispatchIke(PacketBuffer packet, ReadOnlySpan<byte> data)
    {
        if (_options.IkeReceived is not { } handler)
            return;
        try
        {
            // Control traffic: a copy the IKE layer may queue, and the decoded source endpoint.
            handler(data[UdpEncapsulation.NonEspMarkerLength..].ToArray(), packet.RemoteEndPoint());
        }
        catch (Exception e)
        {
            EspLog.IkeHandlerFailed(_logger, e);
        }
    }
}
