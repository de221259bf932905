// `pgate cert … --key`: the key types PostureGate's IKE signs with (RFC 7427: ECDSA P-256, RSA 2048).
namespace PostureGate.Cli.Commands.Cert;

internal enum KeyType { EcdsaP256, Rsa2048 }

internal static class KeyTypeNames
{
    public static readonly string[] Words = ["ecdsa-p256", "rsa-2048"];

    public static bool TryParse(string word, out KeyType type)
    {
        var i = Array.IndexOf(Words, word);
        type = (KeyType)Math.Max(i, 0);
        return i >= 0;
    }
}
