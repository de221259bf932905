using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Tests.Messages.Payloads;

public class SignatureHashAlgorithmsTests
{
    // RFC 7427 §4: 16-bit numbers, network order; strongSwan's list as captured (StrongSwanMessages).
    [Fact]
    public void Notify_IsTheListOf16BitNumbers()
    {
        var n = SignatureHashAlgorithms.Notify(SignatureHashAlgorithms.Supported);
        Assert.Equal(NotifyType.SignatureHashAlgorithms, n.NotifyType);
        Assert.Equal("000200030004", Convert.ToHexStringLower(n.Data));
    }

    [Fact]
    public void TryParse_KeepsUnknownValues()
    {
        Assert.True(SignatureHashAlgorithms.TryParse([0, 2, 0, 5, 0x12, 0x34], out var list));
        Assert.Equal([SignatureHashAlgorithm.Sha2_256, SignatureHashAlgorithm.Identity, (SignatureHashAlgorithm)0x1234], list);
    }

    [Fact]
    public void TryParse_OddLength_IsRefused() => Assert.False(SignatureHashAlgorithms.TryParse([0, 2, 0], out _));
}
