using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;

namespace PostureGate.Ike.Tests.Crypto;

public class IkeFragmenterTests
{
    [Theory]
    [InlineData(576)]
    [InlineData(1280)]
    public void Fragments_FitTheSize_AndAreNumbered(int maxSize)
    {
        using var data = new FragmentTestData();
        var wire = IkeFragmenter.Fragment(data.Message, data.Outbound, maxSize);
        Assert.True(wire.Count > 1);
        Assert.All(wire, f => Assert.InRange(f.Length, IkeFragmenter.FragmentOverhead, maxSize));

        var parsed = data.ParsedFragments(maxSize);
        for (var i = 0; i < parsed.Count; i++)
        {
            var skf = parsed[i].Fragment!;
            Assert.Equal(i + 1, skf.FragmentNumber);
            Assert.Equal(parsed.Count, skf.TotalFragments);
            // RFC 7383 §2.5: only fragment 1 names the first inner payload.
            Assert.Equal(i == 0 ? PayloadType.IdInitiator : PayloadType.NoNextPayload, skf.FirstInnerPayload);
            Assert.Equal(PayloadType.EncryptedFragment, parsed[i].Header.NextPayload);
            Assert.Equal(data.Message.MessageId, parsed[i].MessageId);
        }
    }

    [Fact]
    public void SmallMessage_IsOneFragment()
    {
        using var data = new FragmentTestData();
        data.Message.Payloads.RemoveAt(1);
        Assert.Single(IkeFragmenter.Fragment(data.Message, data.Outbound, 1280));
    }

    [Fact]
    public void IkeSaInit_IsNeverFragmented()
    {
        using var data = new FragmentTestData();
        Assert.Throws<ArgumentException>(() => IkeFragmenter.Fragment(Messages.StrongSwanMessages.IkeSaInitRequest(), data.Outbound, 1280));
    }

    [Fact]
    public void SizeBelowOverhead_Throws()
    {
        using var data = new FragmentTestData();
        Assert.Throws<ArgumentOutOfRangeException>(() => IkeFragmenter.Fragment(data.Message, data.Outbound, 60));
    }
}
