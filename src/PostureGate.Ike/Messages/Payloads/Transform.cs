// RFC 7296 §3.3.2 Transform Substructure
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |        Transform Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |Transform Type |   RESERVED    |          Transform ID         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                      Transform Attributes                     ~
using System.Buffers.Binary;
using PostureGate.Proposals;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class Transform
{
    private const int HeaderSize = 8;
    private const byte MoreTransforms = 3;

    public Transform(TransformType type, ushort id, IReadOnlyList<TransformAttribute>? attributes = null)
    {
        Type = type;
        Id = id;
        Attributes = attributes ?? [];
    }

    public TransformType Type { get; }
    public ushort Id { get; }
    public IReadOnlyList<TransformAttribute> Attributes { get; }

    /// <summary>The Key Length attribute (§3.3.5) in bits, or null when absent.</summary>
    public int? KeyLength
    {
        get
        {
            // Indexed: read for every transform the selector compares (no boxed enumerator).
            var attributes = Attributes;
            for (var i = 0; i < attributes.Count; i++)
                if (attributes[i].Type == TransformAttributes.KeyLength && attributes[i].IsTv)
                    return BinaryPrimitives.ReadUInt16BigEndian(attributes[i].Value);
            return null;
        }
    }

    public int EncodedLength
    {
        get
        {
            var length = HeaderSize;
            foreach (var a in Attributes)
                length += a.EncodedLength;
            return length;
        }
    }

    public static Transform Encryption(EncryptionAlgorithm algorithm, int keyBits = 0) =>
        new(TransformType.Encryption, (ushort)algorithm, keyBits > 0 ? [TransformAttribute.KeyLength(keyBits)] : null);

    public static Transform Prf(PrfAlgorithm algorithm) => new(TransformType.Prf, (ushort)algorithm);

    public static Transform Integrity(IntegrityAlgorithm algorithm) => new(TransformType.Integrity, (ushort)algorithm);

    public static Transform KeyExchange(KeyExchangeMethod method) => new(TransformType.KeyExchange, (ushort)method);

    public static Transform Esn(EsnMode mode) => new(TransformType.ExtendedSequenceNumbers, (ushort)mode);

    /// <summary>Reads one transform; <paramref name="isLast"/> reports the Last Substruc value.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> source, out Transform? transform, out int consumed, out bool isLast, out string? error)
    {
        transform = null;
        consumed = 0;
        if (!Substructure.TryReadHeader(source, MoreTransforms, HeaderSize, "transform", out var length, out isLast, out error))
            return false;
        // Most transforms carry no attribute: no list for them.
        List<TransformAttribute>? attributes = null;
        var rest = source[HeaderSize..length];
        while (!rest.IsEmpty)
        {
            if (!TransformAttribute.TryRead(rest, out var attribute, out var used))
            {
                error = "transform attribute truncated";
                return false;
            }
            (attributes ??= []).Add(attribute!);
            rest = rest[used..];
        }
        transform = new Transform((TransformType)source[4], BinaryPrimitives.ReadUInt16BigEndian(source[6..]), attributes);
        consumed = length;
        error = null;
        return true;
    }

    internal int Write(Span<byte> destination, bool isLast)
    {
        var length = EncodedLength;
        Substructure.WriteHeader(destination, MoreTransforms, isLast, length);
        destination[4] = (byte)Type;
        destination[5] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], Id);
        var offset = HeaderSize;
        foreach (var a in Attributes)
            offset += a.Write(destination[offset..]);
        return length;
    }

    public override string ToString()
    {
        var name = Type switch
        {
            TransformType.Encryption => ((EncryptionAlgorithm)Id).ToString(),
            TransformType.Prf => ((PrfAlgorithm)Id).ToString(),
            TransformType.Integrity => ((IntegrityAlgorithm)Id).ToString(),
            TransformType.KeyExchange => ((KeyExchangeMethod)Id).ToString(),
            TransformType.ExtendedSequenceNumbers => ((EsnMode)Id).ToString(),
            _ => $"{(byte)Type}:{Id}",
        };
        return KeyLength is { } bits ? $"{name}_{bits}" : name;
    }
}
