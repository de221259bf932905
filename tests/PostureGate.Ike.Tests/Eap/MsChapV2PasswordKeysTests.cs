// MsChapV2PasswordKeys: the cached NT hash and DES keys give RFC 2759 §9.2's known answers.
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class MsChapV2PasswordKeysTests
{
    [Fact]
    public void CachedKeysGiveTheRfc2759KnownAnswers()
    {
        var keys = MsChapV2PasswordKeys.For(MsChapV2Tests.Password);
        Assert.Equal(MsChapV2Tests.PasswordHash, Convert.ToHexString(keys.PasswordHash));
        var response = new byte[MsChapV2.NtResponseLength];
        keys.ChallengeResponse(Convert.FromHexString(MsChapV2Tests.Challenge), response);
        Assert.Equal(MsChapV2Tests.NtResponse, Convert.ToHexString(response));
    }

    [Fact]
    public void OnePasswordIsKeyedOnceAndAnUnknownUserGetsOtherKeys()
    {
        var first = MsChapV2PasswordKeys.For(new string(MsChapV2Tests.Password.AsSpan()));
        Assert.Same(first, MsChapV2PasswordKeys.For(new string(MsChapV2Tests.Password.AsSpan())));
        Assert.NotEqual(MsChapV2Tests.PasswordHash, Convert.ToHexString(MsChapV2PasswordKeys.ForUnknownUser.PasswordHash));
    }
}
