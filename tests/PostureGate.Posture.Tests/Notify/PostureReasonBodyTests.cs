// POSTURE_REASON (0xF103): the body the gateway sends and the client prints; what arrives is hostile.
using System.Text;

namespace PostureGate.Posture.Tests.Notify;

public class PostureReasonBodyTests
{
    [Fact]
    public void Encode_WritesCodeAndTextLines_AndParsesBack()
    {
        var reason = new PostureReason(PostureReasonCode.TagMissing, "tunnel dialup_0 admits devices with tag a; the EMS gives this device none of them");

        var body = PostureReasonBody.Encode(reason);

        Assert.Equal("CODE=tag-missing\nTEXT=tunnel dialup_0 admits devices with tag a; the EMS gives this device none of them\n", Encoding.UTF8.GetString(body));
        Assert.True(PostureReasonBody.TryParse(body, out var back));
        Assert.Equal(reason, back);
    }

    [Fact]
    public void Encode_DropsControlCharacters_AndCutsToTheLimit()
    {
        var body = PostureReasonBody.Encode(new PostureReason(PostureReasonCode.Other, "two\nlines\u001b[2J" + new string('é', 2000)));

        Assert.True(body.Length <= PostureReasonBody.MaxBodyBytes);
        Assert.True(PostureReasonBody.TryParse(body, out var back));
        Assert.StartsWith("twolines[2J", back!.Text);
    }

    [Theory]
    [InlineData("CODE=ems-unavailable\r\nTEXT=the EMS did not answer\r\n", PostureReasonCode.EmsUnavailable)]
    [InlineData("TEXT=from a newer gateway\nCODE=quota-exceeded\n", PostureReasonCode.Other)]
    [InlineData("TEXT=no code at all", PostureReasonCode.Other)]
    [InlineData("JUNK\nCODE=token-expired\nTEXT=expired\nTEXT=second ignored\n", PostureReasonCode.TokenExpired)]
    public void TryParse_ReadsWhatItKnows(string text, PostureReasonCode code)
    {
        Assert.True(PostureReasonBody.TryParse(Encoding.UTF8.GetBytes(text), out var reason));
        Assert.Equal(code, reason!.Code);
    }

    public static TheoryData<string, byte[]> Hostile => new()
    {
        { "Empty", [] },
        { "TooLong", Encoding.ASCII.GetBytes("CODE=other\nTEXT=" + new string('x', PostureReasonBody.MaxBodyBytes)) },
        { "NoText", Encoding.ASCII.GetBytes("CODE=tag-missing\n") },
        { "BlankText", Encoding.ASCII.GetBytes("CODE=tag-missing\nTEXT=   \n") },
        { "EscapeSequence", Encoding.ASCII.GetBytes("TEXT=\u001b]0;owned\u0007\n") },
        { "Nul", Encoding.ASCII.GetBytes("TEXT=a\0b\n") },
        { "Delete", Encoding.ASCII.GetBytes("TEXT=a\u007fb\n") },
        { "C1Control", Encoding.UTF8.GetBytes("TEXT=a\u009b2Jb\n") },
        { "NotUtf8", [.. Encoding.ASCII.GetBytes("TEXT=a"), 0xC3, 0x28] },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TryParse_RefusesWhatIsNotAReason(string name, byte[] body)
    {
        Assert.False(PostureReasonBody.TryParse(body, out var reason), name);
        Assert.Null(reason);
    }
}
