// RFC 7427 §4 SIGNATURE_HASH_ALGORITHMS notification: "a list of 16-bit hash algorithm
// identifiers", sent in IKE_SA_INIT by each side that can do Digital Signature (Auth Method 14).
using System.Buffers.Binary;
using PostureGate.Ike.Messages;

namespace PostureGate.Ike.Messages.Payloads;

public static class SignatureHashAlgorithms
{
    /// <summary>What PostureGate announces: the SHA-2 family (SHA-1 signatures are refused under RFC 8247 §3.2).</summary>
    public static IReadOnlyList<SignatureHashAlgorithm> Supported { get; } =
        [SignatureHashAlgorithm.Sha2_256, SignatureHashAlgorithm.Sha2_384, SignatureHashAlgorithm.Sha2_512];

    public static NotifyPayload Notify(IEnumerable<SignatureHashAlgorithm> algorithms)
    {
        var list = algorithms.ToArray();
        var data = new byte[2 * list.Length];
        for (var i = 0; i < list.Length; i++)
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2 * i), (ushort)list[i]);
        return new NotifyPayload(NotifyType.SignatureHashAlgorithms, data);
    }

    /// <summary>
    /// The hash algorithms <paramref name="data"/> lists, unknown values kept (the peer may know more than we do);
    /// false for an odd length (§4 defines no other form).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out SignatureHashAlgorithm[] algorithms)
    {
        algorithms = [];
        if (data.Length % 2 != 0)
            return false;
        algorithms = new SignatureHashAlgorithm[data.Length / 2];
        for (var i = 0; i < algorithms.Length; i++)
            algorithms[i] = (SignatureHashAlgorithm)BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        return true;
    }
}
