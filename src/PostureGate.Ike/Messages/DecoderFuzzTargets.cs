// Entry points for coverage-guided fuzzing of the decoders that read attacker
// input (fuzz/PostureGate.Ike.Fuzz drives them with SharpFuzz/libFuzzer; the
// unit tests drive them with the seed corpus and random mutations). Each must
// return normally for every input: an escaping exception is a bug.
using PostureGate.Ike.Crypto;
using PostureGate.Proposals;

namespace PostureGate.Ike.Messages;

public static class DecoderFuzzTargets
{
    /// <summary>
    /// The whole receive path up to decryption: non-ESP marker classification, header and outer payload chain,
    /// per-payload Verify(), exchange rules, and for SK/SKF an integrity check with a fixed key.
    /// </summary>
    public static void FuzzOuter(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        _ = UdpEncapsulation.Classify(bytes);
        if (!IkeMessage.TryParse(bytes, out var message, out var error))
        {
            _ = error.ToString();
            return;
        }
        _ = message!.ToString();
        if (message.Encrypted is not null)
            _ = message.TryDecrypt(FixedCipher, out _, out _);
        else if (message.Fragment is not null)
            _ = new IkeFragmentReassembler().Add(message, FixedCipher, out _, out _);
        else
            _ = message.Encode();
    }

    /// <summary>
    /// The inner (decrypted) payload chain: the first octet is the first payload type (the SK header's Next
    /// Payload), the rest is the chain. Successful parses are re-encoded and re-parsed.
    /// </summary>
    public static void FuzzInner(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var payloads = new List<IkePayload>();
        if (!PayloadChain.TryParse(input[1..].ToArray(), 0, (PayloadType)input[0], allowEncrypted: false, payloads, out var error))
        {
            _ = error.ToString();
            return;
        }
        var encoded = new byte[PayloadChain.GetLength(payloads)];
        PayloadChain.Write(payloads, encoded);
        var again = new List<IkePayload>();
        if (!PayloadChain.TryParse(encoded, 0, PayloadChain.FirstType(payloads), false, again, out error))
            throw new InvalidOperationException("a payload chain that parsed did not parse again after encoding: " + error);
        foreach (var p in payloads)
            _ = p.ToString();
    }

    /// <summary>A fixed AES-GCM key, so that fuzzed SK payloads reach the decryption code.</summary>
    private static readonly SkCipher FixedCipher = SkCipher.Create(
        new CipherSuite("fuzz", EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256), new byte[20], []);
}
