// Fuzz entry point for the ESP receive path after a valid ICV (issue 12 "Fuzzing"): the fuzzed
// octets are the ESP plaintext — inner packet, padding, Pad Length, Next Header (RFC 4303 §2.4-2.6)
// — sealed with a fixed AES-GCM key (RFC 4106) under the next sequence number, so each input passes
// the replay and integrity checks and reaches the trailer, inner-header, inner-source and policy
// checks of EspDataPlane.ProcessInbound. Any exception is a finding.
//
// Input: [flags] [plaintext …]; flags bit 0 set: the inner IPv4 source and destination (octets 12-19)
// are set to the tunnel's virtual IP, so mutations get past the inner-source check.
using System.Buffers.Binary;
using System.Net;
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Devices;
using PostureGate.Esp.Devices.Fakes;
using PostureGate.Esp.Wire;
using PostureGate.Proposals;

namespace PostureGate.Esp;

public static class AfterIcvFuzzTarget
{
    private const uint Spi = 0x1001;
    private static readonly IPAddress VirtualIp = IPAddress.Parse("192.0.2.200");
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("198.51.100.2"), 4500);
    private static readonly byte[] Key = [.. Enumerable.Range(1, 20).Select(i => (byte)i)]; // AES-128 key ‖ 4-octet salt

    private static readonly Lock Sync = new();
    private static EspDataPlane? s_plane;
    private static EspTransform? s_sealer;
    private static ulong s_sequence;

    /// <summary>The libFuzzer/AFL entry: throws on a finding.</summary>
    public static void Fuzz(ReadOnlySpan<byte> input) => _ = Run(input);

    /// <summary>Returns how many inner packets the data plane would write to the TUN device (0 or 1).</summary>
    public static int Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return 0;
        lock (Sync)
        {
            var (plane, sealer) = Plane();
            // §2.4: the ciphertext (plaintext ‖ trailer) is a multiple of 4 octets.
            var plaintextLength = (input.Length - 1 + 3) & ~3;
            if (plaintextLength == 0 || EspHeader.Length + sealer.IvLength + plaintextLength + sealer.IcvLength > PacketBuffer.DefaultCapacity)
                return 0;
            var packet = new PacketBuffer();
            packet.Offset = 0;
            packet.Length = EspHeader.Length + sealer.IvLength + plaintextLength + sealer.IcvLength;
            var esp = packet.Data;
            esp.Clear();
            var sequence = ++s_sequence;
            BinaryPrimitives.WriteUInt32BigEndian(esp, Spi);
            BinaryPrimitives.WriteUInt32BigEndian(esp[4..], (uint)sequence);
            var plaintext = esp.Slice(sealer.HeaderLength, plaintextLength);
            input[1..].CopyTo(plaintext);
            if ((input[0] & 1) != 0 && plaintext.Length >= 20)
            {
                VirtualIp.TryWriteBytes(plaintext[12..16], out _);
                VirtualIp.TryWriteBytes(plaintext[16..20], out _);
            }
            sealer.Seal(esp, sequence, esn: false);
            var deliver = new PacketBuffer[1];
            return plane.ProcessInbound([packet], deliver);
        }
    }

    private static (EspDataPlane, EspTransform) Plane()
    {
        if (s_plane is not null && s_sealer is not null)
            return (s_plane, s_sealer);
        var inbound = Config(Spi);
        var outbound = Config(0x2001);
        s_plane = new EspDataPlane(new FakeTun(), new NullBind(new IPEndPoint(IPAddress.Parse("198.51.100.1"), 4500)));
        s_plane.AddChildSa(inbound, outbound, VirtualIp, tunnelId: 1);
        s_sealer = EspTransform.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, Key, [], EspTransformUse.Seal);
        return (s_plane, s_sealer);
    }

    private static EspSaConfig Config(uint spi) => new(spi, EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, Key, [],
        Esn: false, ReplayWindow: EspSaConfig.DefaultReplayWindow, Peer, [(VirtualIp, VirtualIp)], SaLifetime.Unlimited);
}
