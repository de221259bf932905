// The EMS serial (FORTICLIENT_CONNECT's EMSSN, fctems serial-number): settable when a data
// directory is made (`pgate ems --serial`), fixed afterwards.
using PostureGate.Ems.Storage;

namespace PostureGate.Ems.Tests.Storage;

public class SerialNumberTests
{
    [Fact]
    public void ANewDirectoryTakesTheGivenSerialAndKeepsIt()
    {
        using var dir = new TempDirectory();
        using (var store = EmsStore.Open(dir.Path, serialNumber: "FCTEMS8826000120"))
            Assert.Equal("FCTEMS8826000120", store.SerialNumber);

        using var again = EmsStore.Open(dir.Path);
        Assert.Equal("FCTEMS8826000120", again.SerialNumber);
    }

    [Fact]
    public void AnExistingDirectoryRefusesAnotherSerial()
    {
        using var dir = new TempDirectory();
        string first;
        using (var store = EmsStore.Open(dir.Path))
            first = store.SerialNumber;

        var e = Assert.Throws<InvalidOperationException>(() => EmsStore.Open(dir.Path, serialNumber: "FCTEMS8826000120"));

        Assert.Contains(first, e.Message);
        using var unchanged = EmsStore.Open(dir.Path);
        Assert.Equal(first, unchanged.SerialNumber);
    }

    [Theory]
    [InlineData("FCTEMS882600012")]
    [InlineData("FCTEMS88260001200")]
    [InlineData("FGTEMS8826000120")]
    [InlineData("FCTEMS88260001a0")]
    public void ASerialNotShapedLikeFortiClientEmssIsRefusedBeforeAnythingIsMade(string serial)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "ems");

        Assert.Throws<ArgumentException>(() => EmsStore.Open(path, serialNumber: serial));
        Assert.False(Directory.Exists(path));
    }
}
