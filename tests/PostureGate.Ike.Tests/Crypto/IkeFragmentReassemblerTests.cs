using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Crypto;

public class IkeFragmentReassemblerTests
{
    private static void AssertSameAsOriginal(FragmentTestData data, IkeMessage? complete)
    {
        Assert.NotNull(complete);
        Assert.True(complete!.IsProtected);
        Assert.Equal(data.Message.Payloads.Select(p => p.ToString()), complete.Payloads.Select(p => p.ToString()));
        Assert.Equal(3000, complete.Find<CertPayload>()!.Data.Length);
    }

    [Fact]
    public void InOrder_CompletesOnTheLast()
    {
        using var data = new FragmentTestData();
        var fragments = data.ParsedFragments(576);
        var reassembler = new IkeFragmentReassembler();
        for (var i = 0; i < fragments.Count - 1; i++)
        {
            Assert.Equal(FragmentStatus.Incomplete, reassembler.Add(fragments[i], data.Inbound, out var none, out _));
            Assert.Null(none);
        }
        var status = reassembler.Add(fragments[^1], data.Inbound, out var complete, out var error);
        Assert.True(status == FragmentStatus.Complete, error.ToString());
        AssertSameAsOriginal(data, complete);
        Assert.Null(reassembler.PendingMessageId);
    }

    [Fact]
    public void OutOfOrder_WithDuplicates()
    {
        using var data = new FragmentTestData();
        var fragments = data.ParsedFragments(576);
        var reassembler = new IkeFragmentReassembler();
        var order = Enumerable.Range(0, fragments.Count).Reverse().ToList();
        IkeMessage? complete = null;
        foreach (var i in order)
        {
            var status = reassembler.Add(fragments[i], data.Inbound, out complete, out _);
            if (i == 0)
                Assert.Equal(FragmentStatus.Complete, status);
            else
            {
                Assert.Equal(FragmentStatus.Incomplete, status);
                Assert.Equal(FragmentStatus.Ignored, reassembler.Add(fragments[i], data.Inbound, out _, out _));
            }
        }
        AssertSameAsOriginal(data, complete);
        // Fragments of the finished message are ignored, e.g. a retransmission.
        Assert.Equal(FragmentStatus.Ignored, reassembler.Add(fragments[0], data.Inbound, out _, out _));
    }

    [Fact]
    public void MissingFragment_NeverCompletes()
    {
        using var data = new FragmentTestData();
        var fragments = data.ParsedFragments(576);
        var reassembler = new IkeFragmentReassembler();
        foreach (var f in fragments.Where((_, i) => i != 1))
            Assert.Equal(FragmentStatus.Incomplete, reassembler.Add(f, data.Inbound, out _, out _));
        Assert.Equal(data.Message.MessageId, reassembler.PendingMessageId);
    }

    [Fact]
    public void TamperedFragment_IsRejected_AndChangesNothing()
    {
        using var data = new FragmentTestData();
        var wire = IkeFragmenter.Fragment(data.Message, data.Outbound, 576);
        wire[1][^3] ^= 0x40;
        Assert.True(IkeMessage.TryParse(wire[1], out var forged, out _));
        Assert.True(IkeMessage.TryParse(wire[0], out var first, out _));
        var reassembler = new IkeFragmentReassembler();
        Assert.Equal(FragmentStatus.Rejected, reassembler.Add(forged!, data.Inbound, out _, out var error));
        Assert.True(error.Silent);
        Assert.Null(reassembler.PendingMessageId);

        Assert.Equal(FragmentStatus.Incomplete, reassembler.Add(first!, data.Inbound, out _, out _));
        Assert.Equal(FragmentStatus.Rejected, reassembler.Add(forged!, data.Inbound, out _, out _));
        // The forged copy did not take fragment 2's slot: the genuine one still completes the set.
        var genuine = data.ParsedFragments(576);
        IkeMessage? complete = null;
        foreach (var f in genuine.Skip(1))
            reassembler.Add(f, data.Inbound, out complete, out _);
        Assert.NotNull(complete);
    }

    [Fact]
    public void HigherTotal_RestartsReassembly_LowerTotal_IsIgnored()
    {
        using var data = new FragmentTestData();
        var large = data.ParsedFragments(1280);
        var small = data.ParsedFragments(576);
        Assert.True(small.Count > large.Count);
        var reassembler = new IkeFragmentReassembler();
        Assert.Equal(FragmentStatus.Incomplete, reassembler.Add(large[0], data.Inbound, out _, out _));
        // The sender lowered its fragment size (RFC 7383 §2.5.2): start over with the smaller fragments.
        Assert.Equal(FragmentStatus.Incomplete, reassembler.Add(small[0], data.Inbound, out _, out _));
        Assert.Equal(FragmentStatus.Ignored, reassembler.Add(large[1], data.Inbound, out _, out _));
        IkeMessage? complete = null;
        foreach (var f in small.Skip(1))
            reassembler.Add(f, data.Inbound, out complete, out _);
        AssertSameAsOriginal(data, complete);
    }

    [Fact]
    public void NewerMessageId_ReplacesTheOlder_OlderIsIgnored()
    {
        using var one = new FragmentTestData(messageId: 1);
        using var two = new FragmentTestData(messageId: 2);
        var reassembler = new IkeFragmentReassembler();
        Assert.Equal(FragmentStatus.Incomplete, reassembler.Add(one.ParsedFragments(576)[0], one.Inbound, out _, out _));
        Assert.Equal(FragmentStatus.Incomplete, reassembler.Add(two.ParsedFragments(576)[0], two.Inbound, out _, out _));
        Assert.Equal(2u, reassembler.PendingMessageId);
        Assert.Equal(FragmentStatus.Ignored, reassembler.Add(one.ParsedFragments(576)[1], one.Inbound, out _, out _));
    }

    [Fact]
    public void TooManyFragments_IsRejected()
    {
        using var data = new FragmentTestData();
        var fragments = data.ParsedFragments(576);
        var reassembler = new IkeFragmentReassembler(maxFragments: fragments.Count - 1);
        Assert.Equal(FragmentStatus.Rejected, reassembler.Add(fragments[0], data.Inbound, out _, out var error));
        Assert.Contains("exceed", error.Reason);
        Assert.Null(reassembler.PendingMessageId);
    }

    [Fact]
    public void OctetBudget_IsEnforced()
    {
        using var data = new FragmentTestData();
        var fragments = data.ParsedFragments(576);
        var reassembler = new IkeFragmentReassembler(maxBytes: 1000);
        var statuses = fragments.Select(f => reassembler.Add(f, data.Inbound, out _, out _)).ToList();
        Assert.Contains(FragmentStatus.Rejected, statuses);
        Assert.DoesNotContain(FragmentStatus.Complete, statuses);
    }

    [Fact]
    public void NotAFragment_IsRejected()
    {
        using var data = new FragmentTestData();
        Assert.True(IkeMessage.TryParse(data.Message.Encode(data.Outbound), out var sk, out _));
        Assert.Equal(FragmentStatus.Rejected, new IkeFragmentReassembler().Add(sk!, data.Inbound, out _, out _));
    }
}
