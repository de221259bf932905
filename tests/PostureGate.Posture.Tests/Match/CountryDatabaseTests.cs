using System.Net;

namespace PostureGate.Posture.Tests.Match;

public class CountryDatabaseTests
{
    private static CountryDatabase Fixture()
    {
        var db = CountryDatabase.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "countries.csv"), out var errors);
        Assert.Empty(errors);
        return db;
    }

    [Theory]
    [InlineData("198.51.100.7", "FR")]
    [InlineData("198.51.100.130", "DE")]
    [InlineData("198.51.100.200", "CH")]
    [InlineData("203.0.113.9", "US")]
    [InlineData("2001:db8::5", "JP")]
    [InlineData("::ffff:198.51.100.7", "FR")]
    [InlineData("192.0.2.1", "ZZ")]
    public void MostSpecificPrefixWins(string ip, string country) => Assert.Equal(country, Fixture().Lookup(IPAddress.Parse(ip)));

    [Fact]
    public void Ipv6OutsideEveryPrefix_IsUnknown() => Assert.Null(Fixture().Lookup(IPAddress.Parse("2001:db9::1")));

    [Fact]
    public void BadLines_AreAllReportedWithTheirNumber_GoodOnesKept()
    {
        var db = CountryDatabase.Parse(["10.0.0.0/8,FR", "nonsense", "10.0.0.0/33,FR", "10.1.0.0/16,FRA", "", "# comment", "11.0.0.0/8,DE # trailing"], out var errors);
        Assert.Equal(["line 2: expected cidr,country", "line 3: '10.0.0.0/33' is not a CIDR prefix", "line 4: country 'FRA' is not two letters"], errors);
        Assert.Equal(2, db.Count);
        Assert.Equal("DE", db.Lookup(IPAddress.Parse("11.2.3.4")));
    }
}
