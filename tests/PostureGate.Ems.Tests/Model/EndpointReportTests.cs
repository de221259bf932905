using System.Text.Json;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Tests.Model;

public class EndpointReportTests
{
    private const string Uid = "f8a6aff3531843b4972cbdbeeeb30e3c";

    [Fact]
    public void Valid_NormalisesUidIpAndMacs()
    {
        // FORTICLIENT_CONNECT from the seed: MAC=00-0c-29-2c-4d-d7;00-0c-29-2c-4d-e1;…
        var request = new EndpointReportRequest(Uid, "DESKTOP-EMS-TAG-PH2", "tester", null, null, "7.4.5.1949",
            "::ffff:10.160.1.197", ["00-0c-29-2c-4d-d7", "00:0C:29:2C:4D:E1", "000c292c4deb", "00-0c-29-2c-4d-d7"], null);
        Assert.True(EndpointReport.TryCreate(request, null, out var report, out var error), error);
        Assert.Equal("F8A6AFF3531843B4972CBDBEEEB30E3C", report!.Uid);
        Assert.Equal(["00:0c:29:2c:4d:d7", "00:0c:29:2c:4d:e1", "00:0c:29:2c:4d:eb"], report.Macs);
        Assert.Equal("::ffff:10.160.1.197", report.Ip);
        Assert.Null(report.Facts);
    }

    [Theory]
    [InlineData("UidTooShort", "F8A6", null, null, "uid")]
    [InlineData("UidTooLong", Uid + "0", null, null, "uid")]
    [InlineData("UidNotHex", "g8a6aff3531843b4972cbdbeeeb30e3c", null, null, "uid")]
    [InlineData("IpScoped", Uid, "fe80::1%eth0", null, "ip")]
    [InlineData("IpGarbage", Uid, "10.1", null, "ip")]
    [InlineData("MacFiveBytes", Uid, null, "00-0c-29-2c-4d", "macs")]
    [InlineData("MacEightBytes", Uid, null, "00-0c-29-2c-4d-d7-00-01", "macs")]
    public void Invalid_IsRefusedWithTheField(string name, string uid, string? ip, string? mac, string field)
    {
        var request = new EndpointReportRequest(uid, null, null, null, null, null, ip, mac is null ? null : [mac], null);
        Assert.False(EndpointReport.TryCreate(request, null, out var report, out var error), name);
        Assert.Null(report);
        Assert.StartsWith(field, error);
    }

    [Fact]
    public void Facts_MustBeABoundedObject()
    {
        using var array = JsonDocument.Parse("[1]");
        Assert.False(EndpointReport.TryCreate(new(Uid, null, null, null, null, null, null, null, array.RootElement), null, out _, out var error));
        Assert.Contains("object", error);

        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20);
        using var tooDeep = JsonDocument.Parse(deep);
        Assert.False(EndpointReport.TryCreate(new(Uid, null, null, null, null, null, null, null, tooDeep.RootElement), null, out _, out error));
        Assert.Contains("levels deep", error);
    }

    [Fact]
    public void Facts_WithInvalidUtf8_AreRefused_NotThrown()
    {
        // Found by fuzz target emsjson: the reader keeps the octet 0x82 of the name raw, and only
        // GetRawText (turning the facts into text) threw, an error-level 500 in the API.
        byte[] json = [.. "{\"av\":{\"i"u8, 0x82, .. "g\":true}}"u8];
        using var facts = JsonDocument.Parse(json);
        Assert.False(EndpointReport.TryCreate(new(Uid, null, null, null, null, null, null, null, facts.RootElement), null, out var report, out var error));
        Assert.Null(report);
        Assert.Contains("UTF-8", error);
    }

    [Fact]
    public void RouteUid_MustAgreeWithBody()
    {
        var request = new EndpointReportRequest("00000000000000000000000000000001", null, null, null, null, null, null, null, null);
        Assert.False(EndpointReport.TryCreate(request, Uid, out _, out var error));
        Assert.Contains("differs", error);
        Assert.True(EndpointReport.TryCreate(request with { Uid = null }, Uid, out var report, out _));
        Assert.Equal(Uid.ToUpperInvariant(), report!.Uid);
    }
}
