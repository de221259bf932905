using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Ike.Tests.Messages;

public class ExchangeRulesTests
{
    private static readonly SkCipher Cipher = SkCipher.Create(StrongSwanMessages.AesCbc128Sha256, new byte[16], new byte[32]);

    /// <summary>Encodes (encrypted unless IKE_SA_INIT), parses, decrypts: the rules run on the way.</summary>
    private static bool Check(ExchangeType exchange, bool response, IkePayload[] payloads, out IkeError error)
    {
        var flags = response ? IkeHeaderFlags.Response : IkeHeaderFlags.Initiator;
        var init = exchange == ExchangeType.IkeSaInit;
        var message = new IkeMessage(new IkeHeader(1, init && !response ? 0u : 2u, 0, exchange, flags, init ? 0u : 1u, 0), payloads);
        if (exchange == ExchangeType.IkeSaInit)
            return IkeMessage.TryParse(message.Encode(), out _, out error);
        Assert.True(IkeMessage.TryParse(message.Encode(Cipher), out var outer, out error), error.ToString());
        return outer!.TryDecrypt(Cipher, out _, out error);
    }

    private static SaPayload Sa() => new([Proposal.ForIke(1, StrongSwanMessages.AesCbc128Sha256, KeyExchangeMethod.Modp2048)]);
    private static KePayload Ke() => new(KeyExchangeMethod.Modp2048, new byte[256]);
    private static NoncePayload Nonce() => new(new byte[32]);

    [Fact]
    public void EveryExchange_HasARequestAndAResponseTable()
    {
        foreach (var exchange in Enum.GetValues<ExchangeType>())
        {
            Assert.NotNull(ExchangeRules.Find(exchange, false));
            Assert.NotNull(ExchangeRules.Find(exchange, true));
        }
        Assert.All(ExchangeRules.All.Where(r => r.Exchange != ExchangeType.IkeSaInit), r => Assert.All(r.Payloads, p => Assert.True(p.MustBeEncrypted)));
    }

    [Fact]
    public void IkeSaInitRequest_NeedsSaKeAndNonce()
    {
        Assert.True(Check(ExchangeType.IkeSaInit, false, [Sa(), Ke(), Nonce()], out _));
        Assert.False(Check(ExchangeType.IkeSaInit, false, [Sa(), Nonce()], out var error));
        Assert.Contains("KE missing", error.Reason);
    }

    [Fact]
    public void IkeSaInitRequest_WithTwoSaPayloads_IsInvalidSyntax()
    {
        Assert.False(Check(ExchangeType.IkeSaInit, false, [Sa(), Sa(), Ke(), Nonce()], out var error));
        Assert.Equal(NotifyType.InvalidSyntax, error.Notify);
        Assert.Contains("too many SA", error.Reason);
    }

    [Fact]
    public void IkeSaInitRequest_WithAuth_IsNotAllowed()
    {
        Assert.False(Check(ExchangeType.IkeSaInit, false, [Sa(), Ke(), Nonce(), new AuthPayload(AuthMethod.SharedKeyMic, [1])], out var error));
        Assert.Contains("AUTH not allowed", error.Reason);
    }

    [Fact]
    public void ErrorNotifyResponse_MayOmitRequiredPayloads()
    {
        Assert.True(Check(ExchangeType.IkeSaInit, true, [new NotifyPayload(NotifyType.InvalidKePayload, [0, 31])], out _));
        Assert.True(Check(ExchangeType.CreateChildSa, true, [new NotifyPayload(NotifyType.NoProposalChosen)], out _));
    }

    [Fact]
    public void ErrorNotifyRequest_MustStillCarryRequiredPayloads()
    {
        Assert.False(Check(ExchangeType.IkeSaInit, false, [new NotifyPayload(NotifyType.NoProposalChosen)], out var error));
        Assert.Contains("SA missing", error.Reason);
        Assert.False(Check(ExchangeType.CreateChildSa, false, [new NotifyPayload(NotifyType.NoProposalChosen)], out error));
        Assert.Contains("SA missing", error.Reason);
    }

    [Fact]
    public void StrongSwanEapRounds_AreValidIkeAuthRequests()
    {
        // First request without AUTH (EAP wanted), then EAP-only rounds, then AUTH alone.
        Assert.True(Check(ExchangeType.IkeAuth, false, [.. StrongSwanMessages.IkeAuthRequestPayloads()], out var error), error.ToString());
        Assert.True(Check(ExchangeType.IkeAuth, false, [new EapPayload([2, 0, 0, 10, 1, .. "alice"u8])], out _));
        Assert.True(Check(ExchangeType.IkeAuth, false, [new AuthPayload(AuthMethod.SharedKeyMic, new byte[32])], out _));
    }

    [Fact]
    public void IkeAuth_WithKe_IsNotAllowed()
    {
        Assert.False(Check(ExchangeType.IkeAuth, false, [Ke()], out var error));
        Assert.Contains("KE not allowed", error.Reason);
    }

    [Fact]
    public void IkeAuthResponse_WithTwoEapPayloads_IsInvalidSyntax() =>
        Assert.False(Check(ExchangeType.IkeAuth, true, [new EapPayload([3, 1, 0, 4]), new EapPayload([3, 1, 0, 4])], out _));

    [Fact]
    public void CreateChildSaRequest_NeedsSaAndNonce()
    {
        Assert.True(Check(ExchangeType.CreateChildSa, false, [NotifyPayload.ForEspSpi(NotifyType.RekeySa, 5), Sa(), Nonce()], out _));
        Assert.False(Check(ExchangeType.CreateChildSa, false, [Sa()], out var error));
        Assert.Contains("No missing", error.Reason);
    }

    [Fact]
    public void Informational_AllowsDeleteAndEmpty_ButNotSa()
    {
        Assert.True(Check(ExchangeType.Informational, false, [DeletePayload.ForIkeSa()], out _));
        Assert.True(Check(ExchangeType.Informational, true, [], out _));
        Assert.False(Check(ExchangeType.Informational, false, [Sa()], out _));
    }
}
