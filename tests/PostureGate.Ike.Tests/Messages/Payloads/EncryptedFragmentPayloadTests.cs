using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class EncryptedFragmentPayloadTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(4, 3)]
    [InlineData(1, 0)]
    public void BadNumbering(ushort number, ushort total)
    {
        var skf = new EncryptedFragmentPayload(PayloadType.NoNextPayload, number, total, new byte[32], 36);
        Assert.False(skf.Verify(out var error));
        Assert.Equal(NotifyType.InvalidSyntax, error.Notify);
    }

    [Fact]
    public void OnlyTheFirstFragmentNamesTheInnerPayload()
    {
        Assert.True(new EncryptedFragmentPayload(PayloadType.IdInitiator, 1, 2, new byte[32], 36).Verify(out _));
        Assert.False(new EncryptedFragmentPayload(PayloadType.IdInitiator, 2, 2, new byte[32], 36).Verify(out _));
    }

    [Fact]
    public void Body_WritesNumbersFirst()
    {
        var skf = new EncryptedFragmentPayload(PayloadType.NoNextPayload, 2, 5, new byte[] { 0xaa }, 36);
        Assert.Equal("00020005aa", Convert.ToHexStringLower(skf.EncodeBody()));
    }
}
