using System.Net;
using PostureGate.Ike.Kernel;
using PostureGate.Kernel;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Kernel;

public class InMemoryChildSaInstallerTests
{
    private static ChildSaInstallation Sa(uint inbound, uint outbound) => new()
    {
        Instance = "dialup_0",
        ChildName = "DY",
        LocalEndpoint = new IPEndPoint(IPAddress.Parse("198.51.100.1"), 4500),
        PeerEndpoint = new IPEndPoint(IPAddress.Parse("198.51.100.2"), 4500),
        UdpEncapsulation = true,
        InboundSpi = inbound,
        OutboundSpi = outbound,
        Encryption = EncryptionAlgorithm.AesGcm16,
        EncryptionKeyBits = 256,
        Integrity = IntegrityAlgorithm.None,
        ExtendedSequenceNumbers = false,
        InboundKeys = new EspKeys(new byte[36], []),
        OutboundKeys = new EspKeys(new byte[36], []),
        ReplayWindow = 2048,
        LocalSelectors = [],
        RemoteSelectors = [],
        SoftLifetime = TimeSpan.FromSeconds(38880),
        HardLifetime = TimeSpan.FromSeconds(43200),
    };

    [Fact]
    public void InstallRemoveAndUpdateAreRecorded()
    {
        var k = new InMemoryChildSaInstaller();
        Assert.True(k.Install(Sa(0x1000, 0x2000)));
        Assert.False(k.Install(Sa(0x1000, 0x3000))); // inbound SPI already in use
        k.UpdatePeer("dialup_0", 0x1000, 0x2000, new IPEndPoint(IPAddress.Parse("198.51.100.2"), 55846), true);
        Assert.Equal(55846, k.FindByInbound(0x1000)!.PeerEndpoint.Port);
        Assert.NotNull(k.FindByOutbound(0x2000));
        k.Remove("dialup_0", 0x1000, 0x2000);
        k.Remove("dialup_0", 0x1000, 0x2000); // idempotent
        Assert.Empty(k.Installed);
        Assert.Equal(3, k.Journal.Count);
    }

    [Fact]
    public void WithoutAJournalTheTableStillWorksAndNothingAccumulates()
    {
        var k = new InMemoryChildSaInstaller { KeepJournal = false };
        Assert.True(k.Install(Sa(0x1000, 0x2000)));
        k.UpdatePeer("dialup_0", 0x1000, 0x2000, new IPEndPoint(IPAddress.Parse("198.51.100.2"), 55846), true);
        Assert.Equal(55846, k.FindByInbound(0x1000)!.PeerEndpoint.Port);
        k.Remove("dialup_0", 0x1000, 0x2000);
        Assert.Empty(k.Installed);
        Assert.Empty(k.Journal);
    }

    // One instance's CHILD_SAs through its own index (the tunnel list asks per instance), updated by every change.
    [Fact]
    public void InstalledFor_IsTheInstancesOwnChildSas()
    {
        var k = new InMemoryChildSaInstaller { KeepJournal = false };
        Assert.True(k.Install(Sa(0x1000, 0x2000)));
        Assert.True(k.Install(Sa(0x1001, 0x2001)));
        Assert.True(k.Install(Sa(0x1002, 0x2002) with { Instance = "dialup_1" }));
        k.UpdatePeer("dialup_0", 0x1001, 0x2001, new IPEndPoint(IPAddress.Parse("198.51.100.2"), 55846), true);

        Assert.Equal([0x1000u, 0x1001u], k.InstalledFor("dialup_0").Select(c => c.InboundSpi).Order());
        Assert.Equal(55846, k.InstalledFor("dialup_0").Single(c => c.InboundSpi == 0x1001).PeerEndpoint.Port);

        k.Remove("dialup_0", 0x1000, 0x2000);
        k.Remove("dialup_0", 0x1001, 0x2001);
        Assert.Empty(k.InstalledFor("dialup_0"));
        Assert.Equal([0x1002u], k.InstalledFor("dialup_1").Select(c => c.InboundSpi));
    }

    [Fact]
    public void RefusesWhenToldTo()
    {
        var k = new InMemoryChildSaInstaller { Accept = false };
        Assert.False(k.Install(Sa(1, 2)));
        Assert.Empty(k.Installed);
    }

    [Fact]
    public void KeysAreNeverPrinted()
    {
        var keys = new EspKeys([1, 2, 3], [4]);
        Assert.DoesNotContain("1", keys.ToString());
        Assert.DoesNotContain("Keys", Sa(1, 2).ToString().Replace("EspKeys", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
