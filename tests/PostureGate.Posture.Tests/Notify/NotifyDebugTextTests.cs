// What the IKE layer logs as it processes FortiClient's notifies: the seed's lines after
// "processing notify type FORTICLIENT_CONNECT" / "ZTNA_TAG", and nothing for other notifies.
namespace PostureGate.Posture.Tests.Notify;

public class NotifyDebugTextTests
{
    private const string Uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";

    [Fact]
    public void FortiClientConnectIsItsTextThenUidSerialAndTenant()
    {
        var body = System.Text.Encoding.ASCII.GetBytes(
            $"VER=1\nFCTVER=7.4.5.1949\nUID={Uid}\nIP=10.160.1.197\nEMSSN=FCTEMS8826000120\nEMSID=00000000000000000000000000000000\nFCTTAGS=1\n");

        var lines = NotifyDebugText.Describe(PrivateNotifies.FortiClientConnect, body).ToList();

        Assert.Equal($"received FCT data len = {body.Length}, data = 'VER=1", lines[0].Split('\n')[0]);
        Assert.Equal(
            [$"received FCT-UID : {Uid}", "received EMS SN : FCTEMS8826000120", "received EMS tenant ID : 00000000000000000000000000000000"],
            lines.Skip(1));
    }

    [Fact]
    public void AMalformedBodyIsNamedAndNoUidClaimed()
    {
        var lines = NotifyDebugText.Describe(PrivateNotifies.FortiClientConnect, "UID=F8A6\n"u8.ToArray()).ToList();

        Assert.StartsWith("malformed FORTICLIENT_CONNECT: ", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("received FCT-UID", StringComparison.Ordinal));
    }

    [Fact]
    public void TheTokenIsShownWithoutItsSignature()
    {
        var token = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl"u8.ToArray();

        var line = Assert.Single(NotifyDebugText.Describe(PrivateNotifies.ZtnaTag, token));

        Assert.StartsWith($"received ZTNA tags update token (len={token.Length}) data=eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.", line);
        Assert.DoesNotContain("c2lnbmF0dXJl", line);
        Assert.True(NotifyDebugText.IsTunnelNotify(PrivateNotifies.ZtnaTag));
        Assert.False(NotifyDebugText.IsTunnelNotify(PrivateNotifies.FortiClientConnect));
        Assert.Empty(NotifyDebugText.Describe(16384, [1, 2]));
    }
}
