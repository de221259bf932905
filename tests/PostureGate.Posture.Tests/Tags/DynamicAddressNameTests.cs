namespace PostureGate.Posture.Tests.Tags;

public class DynamicAddressNameTests
{
    [Theory]
    [InlineData("EMS1_ZTNA_all_registered_clients", 1, "all_registered_clients")]
    [InlineData("EMS3_ZTNA_a", 3, "a")]
    [InlineData("EMS12_ZTNA_x_ZTNA_y", 12, "x_ZTNA_y")]
    public void Parses(string text, int id, string tag)
    {
        Assert.True(DynamicAddressName.TryParse(text, out var name));
        Assert.Equal(id, name.ConnectorId);
        Assert.Equal(tag, name.Tag);
        Assert.Equal(text, name.CmdbName);
        Assert.Equal("ZTNA_" + tag, name.ShortName);
    }

    [Theory]
    [InlineData("EMS1_CLASS_Low", 1, "Low")]
    [InlineData("EMS2_CLASS_Classification_001", 2, "Classification_001")]
    public void ParsesClassificationTags(string text, int id, string tag)
    {
        Assert.True(DynamicAddressName.TryParse(text, out var name));
        Assert.Equal((id, tag, EmsTagKind.Classification), (name.ConnectorId, name.Tag, name.Kind));
        Assert.Equal(text, name.CmdbName);
        Assert.Equal("CLASS_" + tag, name.ShortName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("EMS_ZTNA_a")]
    [InlineData("EMS0_ZTNA_a")]
    [InlineData("EMSx_ZTNA_a")]
    [InlineData("EMS1_ZTNA_")]
    [InlineData("EMS1_a")]
    [InlineData("EMS1_CLASS_")]
    [InlineData("EMS1_class_a")]
    [InlineData("ems1_ZTNA_a")]
    [InlineData("EMS99999999999_ZTNA_a")]
    public void Refuses(string? text)
    {
        Assert.False(DynamicAddressName.TryParse(text, out var name));
        Assert.Equal(default, name);
    }
}
