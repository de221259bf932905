using System.Net;
using PostureGate.Ike.Config;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Sa;

public class IkeSaNameIndexTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("192.0.2.1"), 500);
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("198.51.100.7"), 500);

    private static IkeSa NewSa(string phase1, long serial) =>
        new(serial, new IkePeerConfig { Name = phase1, Proposals = [], DhGroups = [], Psk = [], Children = [] },
            initiator: false, spiI: (ulong)serial, spiR: (ulong)serial + 100, Local, Remote, DateTimeOffset.UnixEpoch);

    private static void Name(IkeSaNameIndex index, IkeSa sa, string instance)
    {
        var shownBefore = sa.LogName;
        sa.Named(instance);
        index.Rename(sa, shownBefore);
    }

    [Fact]
    public void HalfOpenSaIsFoundUnderItsPhase1UntilItGetsAnInstance()
    {
        var index = new IkeSaNameIndex();
        var sa = NewSa("dialup", 1);
        index.Add(sa);
        Assert.Equal([sa], index.ByLogName("dialup"));

        Name(index, sa, "dialup_0");

        Assert.Empty(index.ByLogName("dialup"));
        Assert.Equal([sa], index.ByLogName("dialup_0"));
        Assert.Equal([sa], index.ByLogNameOrPhase1("dialup"));
        Assert.Equal([sa], index.ByLogNameOrPhase1("dialup_0"));
    }

    [Fact]
    public void PhaseLookupReturnsEachSaOnceAndOnlyItsOwn()
    {
        var index = new IkeSaNameIndex();
        var a = NewSa("static", 1);
        var b = NewSa("dialup", 2);
        index.Add(a);
        index.Add(b);
        Name(index, b, "dialup_0");

        // A static tunnel is shown under its phase 1 name and belongs to it: listed once.
        Assert.Equal([a], index.ByLogNameOrPhase1("static"));
        Assert.Equal([b], index.ByLogNameOrPhase1("dialup"));
        Assert.Empty(index.ByLogNameOrPhase1("dialup_1"));
    }

    [Fact]
    public void RemovedSaIsNoLongerFound()
    {
        var index = new IkeSaNameIndex();
        var sa = NewSa("dialup", 1);
        index.Add(sa);
        Name(index, sa, "dialup_0");

        index.Remove(sa);

        Assert.Empty(index.ByLogName("dialup_0"));
        Assert.Empty(index.ByLogNameOrPhase1("dialup"));
    }

    [Fact]
    public void RekeyedSaSharesTheNameWithItsSuccessorUntilRemoved()
    {
        var index = new IkeSaNameIndex();
        var old = NewSa("dialup", 1);
        index.Add(old);
        Name(index, old, "dialup_0");
        var fresh = NewSa("dialup", 2);
        fresh.Named("dialup_0");
        index.Add(fresh);

        Assert.Equal(2, index.ByLogName("dialup_0").Length);
        index.Remove(old);
        Assert.Equal([fresh], index.ByLogName("dialup_0"));
    }
}
