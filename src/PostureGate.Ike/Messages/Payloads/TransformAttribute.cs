// RFC 7296 §3.3.5 Transform Attributes
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |A|       Attribute Type        |    AttrLength or AttrValue    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                   AttributeValue (AF=0 only)                  |
// ~                                                               ~
using System.Buffers.Binary;
using PostureGate.Proposals;

namespace PostureGate.Ike.Messages.Payloads;

/// <summary>
/// One attribute. TV format (AF=1) keeps its two-octet value in <see cref="Value"/>; TLV keeps the
/// variable value. Only Key Length (14, TV) is defined for IKEv2.
/// </summary>
public sealed class TransformAttribute
{
    private const ushort FormatBit = 0x8000;

    public TransformAttribute(ushort type, bool isTv, byte[] value)
    {
        if (type > 0x7FFF)
            throw new ArgumentOutOfRangeException(nameof(type));
        if (isTv && value.Length != 2)
            throw new ArgumentException("a TV attribute value is two octets", nameof(value));
        Type = type;
        IsTv = isTv;
        Value = value;
    }

    public ushort Type { get; }
    public bool IsTv { get; }
    public byte[] Value { get; }

    public int EncodedLength => IsTv ? 4 : 4 + Value.Length;

    public static TransformAttribute KeyLength(int bits)
    {
        var value = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(value, checked((ushort)bits));
        return new TransformAttribute(TransformAttributes.KeyLength, true, value);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out TransformAttribute? attribute, out int consumed)
    {
        attribute = null;
        consumed = 0;
        if (source.Length < 4)
            return false;
        var word = BinaryPrimitives.ReadUInt16BigEndian(source);
        var second = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        var type = (ushort)(word & ~FormatBit);
        if ((word & FormatBit) != 0)
        {
            attribute = new TransformAttribute(type, true, source.Slice(2, 2).ToArray());
            consumed = 4;
            return true;
        }
        if (source.Length - 4 < second)
            return false;
        attribute = new TransformAttribute(type, false, source.Slice(4, second).ToArray());
        consumed = 4 + second;
        return true;
    }

    public int Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(Type | (IsTv ? FormatBit : 0)));
        if (IsTv)
        {
            Value.CopyTo(destination[2..]);
            return 4;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)Value.Length));
        Value.CopyTo(destination[4..]);
        return 4 + Value.Length;
    }
}
