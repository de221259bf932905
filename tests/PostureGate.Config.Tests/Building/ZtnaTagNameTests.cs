// ZTNA tag address names as FortiOS makes them from an EMS's tags: EMS<n>_ZTNA_<tag>.
using PostureGate.Config.Building;

namespace PostureGate.Config.Tests.Building;

public class ZtnaTagNameTests
{
    [Theory]
    [InlineData("EMS1_ZTNA_all_registered_clients", 1, "all_registered_clients")]
    [InlineData("EMS3_ZTNA_a", 3, "a")]
    [InlineData("EMS12_ZTNA_x_ZTNA_y", 12, "x_ZTNA_y")]
    public void ZtnaTagNamesSplit(string name, int ems, string tag)
    {
        Assert.True(ZtnaTagName.TryParse(name, out var id, out var t));
        Assert.Equal((ems, tag), (id, t));
        Assert.Equal(name, ZtnaTagName.Format(id, t));
    }

    [Theory]
    [InlineData("ZTNA_a")]
    [InlineData("EMS_ZTNA_a")]
    [InlineData("EMS0_ZTNA_a")]
    [InlineData("EMS1_ZTNA_")]
    [InlineData("EMSx_ZTNA_a")]
    [InlineData("EMS1-ZTNA-a")]
    public void MalformedZtnaTagNamesAreRejected(string name) => Assert.False(ZtnaTagName.TryParse(name, out _, out _));
}
