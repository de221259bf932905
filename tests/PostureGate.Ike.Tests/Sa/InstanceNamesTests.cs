using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Sa;

public class InstanceNamesTests
{
    [Fact]
    public void LowestFreeIndexIsReused()
    {
        var names = new InstanceNames();
        Assert.Equal("dialup_0", names.Acquire("dialup"));
        Assert.Equal("dialup_1", names.Acquire("dialup"));
        Assert.Equal("dialup_2", names.Acquire("dialup"));
        names.Release("dialup_1");
        Assert.Equal("dialup_1", names.Acquire("dialup"));
        Assert.Equal("dialup_3", names.Acquire("dialup"));
        Assert.Equal("other_0", names.Acquire("other"));
    }

    [Fact]
    public void PhaseNamesWithUnderscoresWork()
    {
        var names = new InstanceNames();
        Assert.Equal("FCT_EMS_TAG_ph2_0", names.Acquire("FCT_EMS_TAG_ph2"));
        names.Release("FCT_EMS_TAG_ph2_0");
        Assert.Equal("FCT_EMS_TAG_ph2_0", names.Acquire("FCT_EMS_TAG_ph2"));
    }
}
