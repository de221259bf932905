// What the control plane hands the data plane for one CHILD_SA (both directions), the
// C# shape of strongSwan's kernel_ipsec_add_sa_t + kernel_ipsec_sa_id_t. It lives in the
// floor so that neither side sees the other's types: only transform IDs, keys, endpoints
// and selectors (RFC 4301 §4.4.2 SAD entry fields).
using System.Net;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Kernel;

/// <summary>The ESP keys of one direction (RFC 7296 §2.17 KEYMAT slices). Secret.</summary>
public sealed record EspKeys(byte[] Encryption, byte[] Integrity)
{
    public void Clear()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(Encryption);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(Integrity);
    }

    public override string ToString() => "EspKeys(<secret>)";
}

/// <summary>An IPv4 traffic selector range (RFC 7296 §3.13.1) as the data plane filters on it.</summary>
public readonly record struct SelectorRange(uint StartAddress, uint EndAddress, byte Protocol = 0, ushort StartPort = 0, ushort EndPort = 65535)
{
    public static SelectorRange FromSubnet(Ipv4Subnet s) => new(s.First, s.Last);

    public static SelectorRange Host(IPAddress a) => new(Ipv4.ToUInt32(a), Ipv4.ToUInt32(a));

    public override string ToString()
    {
        var range = StartAddress == EndAddress ? $"{Ipv4.ToAddress(StartAddress)}/32" : $"{Ipv4.ToAddress(StartAddress)}-{Ipv4.ToAddress(EndAddress)}";
        return Protocol == 0 ? range : $"{range}[{Protocol}/{StartPort}-{EndPort}]";
    }
}

/// <summary>One CHILD_SA pair to install. Inbound = packets from the peer (decrypted with <see cref="InboundKeys"/>).</summary>
public sealed record ChildSaInstallation
{
    /// <summary>The tunnel instance ("dialup_0").</summary>
    public required string Instance { get; init; }
    /// <summary>The phase 2 name ("DY").</summary>
    public required string ChildName { get; init; }
    public required IPEndPoint LocalEndpoint { get; init; }
    public required IPEndPoint PeerEndpoint { get; init; }
    /// <summary>ESP in UDP (RFC 3948) on the NAT-T port.</summary>
    public required bool UdpEncapsulation { get; init; }
    public required uint InboundSpi { get; init; }
    public required uint OutboundSpi { get; init; }
    public required EncryptionAlgorithm Encryption { get; init; }
    public required int EncryptionKeyBits { get; init; }
    public required IntegrityAlgorithm Integrity { get; init; }
    public required bool ExtendedSequenceNumbers { get; init; }
    public required EspKeys InboundKeys { get; init; }
    public required EspKeys OutboundKeys { get; init; }
    public required int ReplayWindow { get; init; }
    /// <summary>The leased virtual IP of the peer (responder) or ours (initiator).</summary>
    public IPAddress? VirtualIp { get; init; }
    public required IReadOnlyList<SelectorRange> LocalSelectors { get; init; }
    public required IReadOnlyList<SelectorRange> RemoteSelectors { get; init; }
    /// <summary>When the data plane should ask for a rekey (<see cref="IChildSaEvents.RekeyRequested"/>).</summary>
    public required TimeSpan SoftLifetime { get; init; }
    /// <summary>When the SA must be dropped even if no rekey happened.</summary>
    public required TimeSpan HardLifetime { get; init; }
    /// <summary>Whether we are the IKE initiator of the SA (only informative for the data plane).</summary>
    public bool Initiator { get; init; }

    public override string ToString() =>
        $"{Instance}/{ChildName} in={InboundSpi:x8} out={OutboundSpi:x8} {Encryption}-{EncryptionKeyBits}/{Integrity} peer={PeerEndpoint}";
}
