// The CHILD_SA a client's IKE_AUTH hands the kernel contract, for the tests of what the data
// plane and the client do with it; shared by the test projects as a linked source file.
using System.Net;
using PostureGate.Kernel;
using PostureGate.Proposals;

namespace PostureGate.Testing;

/// <summary>The CHILD_SA an initiator's IKE_AUTH hands `pgate client` (AES-GCM-16-128, SPIs
/// in 0x1000 / out 0x2000, VIP 192.0.2.200), with the gateway's selectors and keys a test chooses.</summary>
internal static class ClientInstallations
{
    public static readonly IPAddress Vip = IPAddress.Parse("192.0.2.200");

    public static ChildSaInstallation Make(IReadOnlyList<SelectorRange> remoteSelectors, IPEndPoint gateway,
        byte[]? inboundKey = null, byte[]? outboundKey = null) => new()
    {
        Instance = "client",
        ChildName = "client",
        LocalEndpoint = new IPEndPoint(IPAddress.Parse("198.51.100.2"), 4500),
        PeerEndpoint = gateway,
        UdpEncapsulation = true,
        InboundSpi = 0x1000,
        OutboundSpi = 0x2000,
        Encryption = EncryptionAlgorithm.AesGcm16,
        EncryptionKeyBits = 128,
        Integrity = IntegrityAlgorithm.None,
        ExtendedSequenceNumbers = false,
        InboundKeys = new EspKeys(inboundKey ?? new byte[20], []),
        OutboundKeys = new EspKeys(outboundKey ?? new byte[20], []),
        ReplayWindow = 64,
        VirtualIp = Vip,
        LocalSelectors = [SelectorRange.Host(Vip)],
        RemoteSelectors = remoteSelectors,
        SoftLifetime = TimeSpan.FromHours(1),
        HardLifetime = TimeSpan.FromHours(2),
        Initiator = true,
    };
}
