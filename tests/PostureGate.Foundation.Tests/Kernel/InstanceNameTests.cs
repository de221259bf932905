// Dial-up instance names "<phase1>_<n>": the one parser.
using PostureGate.Kernel;

namespace PostureGate.Foundation.Tests.Kernel;

public class InstanceNameTests
{
    [Theory]
    [InlineData("dialup_0", "dialup")]
    [InlineData("FCT_EMS_TAG_ph2_12", "FCT_EMS_TAG_ph2")]
    [InlineData("dialup", "dialup")]
    [InlineData("dial_up_x", "dial_up_x")]
    [InlineData("_3", "_3")]
    public void Instances_map_back_to_their_phase1(string instance, string phase1) =>
        Assert.Equal(phase1, InstanceName.Phase1Of(instance));

    [Fact]
    public void Format_and_TryParse_round_trip()
    {
        Assert.True(InstanceName.TryParse(InstanceName.Format("FCT_EMS_TAG_ph2", 7), out var phase1, out var index));
        Assert.Equal(("FCT_EMS_TAG_ph2", 7), (phase1, index));
    }

    [Theory]
    [InlineData("dialup_-1")]
    [InlineData("dialup_ 1")]
    [InlineData("dialup_")]
    public void A_suffix_that_is_not_an_index_is_not_an_instance(string name) =>
        Assert.False(InstanceName.TryParse(name, out _, out _));
}
