// `pgate cert … --key WORD`: the two key words and nothing else (RFC 7427 signers PostureGate's IKE has).
using PostureGate.Cli.Commands.Cert;

namespace PostureGate.Cli.Tests.Commands.Cert;

public class KeyTypeTests
{
    [Theory]
    [InlineData("ecdsa-p256", "EcdsaP256")]
    [InlineData("rsa-2048", "Rsa2048")]
    public void EachWordNamesItsKeyType(string word, string expected)
    {
        Assert.True(KeyTypeNames.TryParse(word, out var type));
        Assert.Equal(Enum.Parse<KeyType>(expected), type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ECDSA-P256")]
    [InlineData("rsa-4096")]
    [InlineData("ed25519")]
    public void AnyOtherWordIsRefused(string word) => Assert.False(KeyTypeNames.TryParse(word, out _));
}
