using System.Net;
using System.Text;

namespace PostureGate.Posture.Tests.Notify;

public class FortiClientConnectBodyTests
{
    // Seed, Example 2: "received FCT data len = 309, data = 'VER=1\nFCTVER=…FCTTAGS=1" — 308 text bytes and the NUL.
    internal const string SeedText =
        "VER=1\nFCTVER=7.4.5.1949\nUID=F8A6AFF3531843B4972CBDBEEEB30E3C\nIP=10.160.1.197\n" +
        "MAC=00-0c-29-2c-4d-d7;00-0c-29-2c-4d-e1;00-0c-29-2c-4d-eb;\nHOST=DESKTOP-EMS-TAG-PH2\nUSER=tester\n" +
        "OSVER=Microsoft Windows 8.0 , 64-bit (build 9200)\nREG_STATUS=0\nEMSSN=FCTEMS8826000120\n" +
        "EMSID=00000000000000000000000000000000\nFCTTAGS=1\n";

    internal static byte[] SeedBody => [.. Encoding.ASCII.GetBytes(SeedText), 0];

    [Fact]
    public void SeedBody_Is309Bytes_AndParses()
    {
        Assert.Equal(309, SeedBody.Length);
        Assert.True(FortiClientConnectBody.TryParse(SeedBody, out var info, out var error));
        Assert.Equal(FortiClientConnectBody.Error.None, error);
        Assert.Equal("F8A6AFF3531843B4972CBDBEEEB30E3C", info!.Uid);
        Assert.Equal(IPAddress.Parse("10.160.1.197"), info.Ip);
        Assert.Equal(["00-0c-29-2c-4d-d7", "00-0c-29-2c-4d-e1", "00-0c-29-2c-4d-eb"], info.Macs);
        Assert.Equal("DESKTOP-EMS-TAG-PH2", info.Host);
        Assert.Equal("tester", info.User);
        Assert.Equal("Microsoft Windows 8.0 , 64-bit (build 9200)", info.OsVersion);
        Assert.Equal(0, info.RegistrationStatus);
        Assert.Equal("FCTEMS8826000120", info.EmsSerial);
        Assert.Equal("00000000000000000000000000000000", info.EmsTenantId);
        Assert.Equal("7.4.5.1949", info.FctVersion);
        Assert.True(info.SendsTagToken);
    }

    [Fact]
    public void Build_RoundTrips_AndMatchesSeedBytes()
    {
        Assert.True(FortiClientConnectBody.TryParse(SeedBody, out var info, out _));
        var built = FortiClientConnectBody.Build(info!);
        Assert.Equal(SeedBody, built);
    }

    [Fact]
    public void CrLf_UnknownKeys_AndLowerCaseUid_AreTolerated()
    {
        var text = "VER=1\r\nNEWFIELD=whatever\r\nuid=f8a6aff3531843b4972cbdbeeeb30e3c\r\nIP=10.0.0.1\r\nFCTTAGS=0\r\n\r\n";
        Assert.True(FortiClientConnectBody.TryParse(Encoding.ASCII.GetBytes(text), out var info, out _));
        Assert.Equal("F8A6AFF3531843B4972CBDBEEEB30E3C", info!.Uid);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), info.Ip);
        Assert.False(info.SendsTagToken);
    }

    public static TheoryData<string, byte[], FortiClientConnectBody.Error> Junk => new()
    {
        { "Empty", [], FortiClientConnectBody.Error.Empty },
        { "OnlyNul", [0, 0, 0], FortiClientConnectBody.Error.Empty },
        { "TooLong", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\n" + new string('x', 5000)), FortiClientConnectBody.Error.TooLong },
        { "EmbeddedNul", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\0\nIP=1.2.3.4\n"), FortiClientConnectBody.Error.NotText },
        { "ControlByte", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\n\u0001IP=1.2.3.4\n"), FortiClientConnectBody.Error.NotText },
        { "InvalidUtf8", [.. Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\nHOST="), 0xC3, 0x28], FortiClientConnectBody.Error.NotText },
        { "NoUid", Encoding.ASCII.GetBytes("VER=1\nIP=1.2.3.4\n"), FortiClientConnectBody.Error.MissingUid },
        { "ShortUid", Encoding.ASCII.GetBytes("UID=F8A6AFF3\n"), FortiClientConnectBody.Error.BadUid },
        { "NonHexUid", Encoding.ASCII.GetBytes("UID=Z8A6AFF3531843B4972CBDBEEEB30E3C\n"), FortiClientConnectBody.Error.BadUid },
        { "DuplicateUid", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\nUID=00000000000000000000000000000000\n"), FortiClientConnectBody.Error.DuplicateKey },
        { "DuplicateIp", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\nIP=1.2.3.4\nIP=5.6.7.8\n"), FortiClientConnectBody.Error.DuplicateKey },
        { "BadIp", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\nIP=300.1.1.1\n"), FortiClientConnectBody.Error.BadIp },
        { "ScopedIp", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\nIP=fe80::1%eth0\n"), FortiClientConnectBody.Error.BadIp },
        { "ValueTooLong", Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\nHOST=" + new string('h', 300) + "\n"), FortiClientConnectBody.Error.ValueTooLong },
    };

    [Theory]
    [MemberData(nameof(Junk))]
    public void JunkBodies_AreRefusedWithTheirReason(string name, byte[] body, FortiClientConnectBody.Error expected)
    {
        Assert.False(FortiClientConnectBody.TryParse(body, out var info, out var error), name);
        Assert.Null(info);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var body = new byte[random.Next(0, 600)];
            random.NextBytes(body);
            // Half the time start from a valid prefix so the parser gets deep.
            if (i % 2 == 0 && body.Length > 40)
                Encoding.ASCII.GetBytes("UID=F8A6AFF3531843B4972CBDBEEEB30E3C\n").CopyTo(body, 0);
            var ok = FortiClientConnectBody.TryParse(body, out var info, out var error);
            Assert.Equal(ok, info is not null);
            Assert.Equal(ok, error == FortiClientConnectBody.Error.None);
        }
    }

    [Fact]
    public void DebugText_ShowsLinesAndMasksControlBytes()
    {
        Assert.Equal(SeedText, FortiClientConnectBody.ToDebugText(SeedBody));
        Assert.Equal("A.B", FortiClientConnectBody.ToDebugText([(byte)'A', 0x01, (byte)'B']));
    }

    [Fact]
    public void Build_RefusesLineBreaksInValues()
    {
        var info = new FortiClientConnectInfo { Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C", Host = "a\nUID=00000000000000000000000000000000" };
        Assert.Throws<ArgumentException>(() => FortiClientConnectBody.Build(info));
    }

    [Fact]
    public void PrivateNotifyNumbers_AreInThePrivateUseRanges()
    {
        // RFC 7296 §3.10.1: status 40960–65535, errors 8192–16383.
        Assert.Equal(0xF100, PrivateNotifies.FortiClientConnect);
        Assert.InRange(PrivateNotifies.ZtnaTag, PrivateNotifies.PrivateStatusFirst, ushort.MaxValue);
        Assert.InRange(PrivateNotifies.EmsZtnaTagsCheckSuccess, PrivateNotifies.PrivateStatusFirst, ushort.MaxValue);
        Assert.InRange(PrivateNotifies.ZtnaTagsCheckFailure, PrivateNotifies.PrivateErrorFirst, PrivateNotifies.PrivateErrorLast);
        Assert.Equal(4, new[] { PrivateNotifies.FortiClientConnect, PrivateNotifies.ZtnaTag, PrivateNotifies.EmsZtnaTagsCheckSuccess, PrivateNotifies.ZtnaTagsCheckFailure }.Distinct().Count());
    }
}
