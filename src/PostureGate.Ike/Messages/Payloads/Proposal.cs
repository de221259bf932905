// RFC 7296 §3.3.1 Proposal Substructure
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Last Substruc |   RESERVED    |         Proposal Length       |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        SPI (variable)                         ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                        <Transforms>                           ~
using System.Buffers.Binary;
using PostureGate.Proposals;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class Proposal
{
    private const int HeaderSize = 8;
    private const byte MoreProposals = 2;

    public Proposal(byte number, ProtocolId protocol, byte[] spi, IReadOnlyList<Transform> transforms)
    {
        Number = number;
        Protocol = protocol;
        Spi = spi;
        Transforms = transforms;
    }

    public byte Number { get; }
    public ProtocolId Protocol { get; }
    public byte[] Spi { get; }
    public IReadOnlyList<Transform> Transforms { get; }

    /// <summary>The ESP/AH SPI (§3.3.1: four octets), or 0 when the SPI has another size.</summary>
    public uint EspSpi => Spi.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(Spi) : 0;

    /// <summary>The IKE SPI when rekeying an IKE SA (eight octets), or 0.</summary>
    public ulong IkeSpi => Spi.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(Spi) : 0;

    public IEnumerable<Transform> TransformsOf(TransformType type) => Transforms.Where(t => t.Type == type);

    public int EncodedLength
    {
        get
        {
            var length = HeaderSize + Spi.Length;
            foreach (var t in Transforms)
                length += t.EncodedLength;
            return length;
        }
    }

    /// <summary>
    /// An IKE proposal for a suite in strongSwan's order (ENCR, INTEG, PRF, KE; AEAD without INTEG).
    /// <paramref name="spi"/> is empty in IKE_SA_INIT and the new SPI when rekeying (§3.3.1).
    /// </summary>
    public static Proposal ForIke(byte number, CipherSuite suite, KeyExchangeMethod keyExchange, byte[]? spi = null)
    {
        var transforms = new List<Transform> { Transform.Encryption(suite.Encryption, suite.HasKeyLengthAttribute ? suite.KeyBits : 0) };
        if (!suite.IsAead)
            transforms.Add(Transform.Integrity(suite.Integrity));
        transforms.Add(Transform.Prf(suite.Prf));
        transforms.Add(Transform.KeyExchange(keyExchange));
        return new Proposal(number, ProtocolId.Ike, spi ?? [], transforms);
    }

    /// <summary>An ESP proposal (ENCR, INTEG, optional KE for PFS, ESN) with a four-octet SPI.</summary>
    public static Proposal ForEsp(byte number, CipherSuite suite, uint spi, KeyExchangeMethod pfsGroup = KeyExchangeMethod.None, EsnMode esn = EsnMode.NoEsn)
    {
        var transforms = new List<Transform> { Transform.Encryption(suite.Encryption, suite.HasKeyLengthAttribute ? suite.KeyBits : 0) };
        if (!suite.IsAead)
            transforms.Add(Transform.Integrity(suite.Integrity));
        if (pfsGroup != KeyExchangeMethod.None)
            transforms.Add(Transform.KeyExchange(pfsGroup));
        transforms.Add(Transform.Esn(esn));
        var spiBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(spiBytes, spi);
        return new Proposal(number, ProtocolId.Esp, spiBytes, transforms);
    }

    internal static bool TryRead(ReadOnlySpan<byte> source, out Proposal? proposal, out int consumed, out bool isLast, out string? error)
    {
        proposal = null;
        consumed = 0;
        if (!Substructure.TryReadHeader(source, MoreProposals, HeaderSize, "proposal", out var length, out isLast, out error))
            return false;
        var spiSize = source[6];
        var count = source[7];
        if (length < HeaderSize + spiSize)
        {
            error = $"proposal length {length}";
            return false;
        }
        var spi = source.Slice(HeaderSize, spiSize).ToArray();
        var rest = source[(HeaderSize + spiSize)..length];
        var transforms = new List<Transform>(count);
        var sawLast = false;
        while (!rest.IsEmpty)
        {
            if (sawLast)
            {
                error = "data after the last transform";
                return false;
            }
            if (!Transform.TryRead(rest, out var transform, out var used, out sawLast, out error))
                return false;
            transforms.Add(transform!);
            rest = rest[used..];
        }
        // §3.3.1: Num Transforms must match what the proposal contains.
        if (transforms.Count != count || (count > 0 && !sawLast))
        {
            error = $"proposal announces {count} transforms, carries {transforms.Count}";
            return false;
        }
        proposal = new Proposal(source[4], (ProtocolId)source[5], spi, transforms);
        consumed = length;
        error = null;
        return true;
    }

    internal int Write(Span<byte> destination, bool isLast)
    {
        var length = EncodedLength;
        Substructure.WriteHeader(destination, MoreProposals, isLast, length);
        destination[4] = Number;
        destination[5] = (byte)Protocol;
        destination[6] = checked((byte)Spi.Length);
        destination[7] = checked((byte)Transforms.Count);
        Spi.CopyTo(destination[HeaderSize..]);
        var offset = HeaderSize + Spi.Length;
        for (var i = 0; i < Transforms.Count; i++)
            offset += Transforms[i].Write(destination[offset..], i == Transforms.Count - 1);
        return length;
    }

    /// <summary>§3.3.1 protocol and SPI-size checks.</summary>
    internal bool Verify(out string? error)
    {
        switch (Protocol)
        {
            // SPI Size is 0 in IKE_SA_INIT and 8 when rekeying an IKE SA.
            case ProtocolId.Ike when Spi.Length is not (0 or 8):
            case ProtocolId.Esp or ProtocolId.Ah when Spi.Length != 4:
                error = $"proposal {Number}: SPI size {Spi.Length} for {Protocol}";
                return false;
            case ProtocolId.Ike or ProtocolId.Esp or ProtocolId.Ah:
                break;
            default:
                error = $"proposal {Number}: protocol {(byte)Protocol}";
                return false;
        }
        if (Transforms.Count == 0)
        {
            error = $"proposal {Number} without transforms";
            return false;
        }
        error = null;
        return true;
    }

    public override string ToString() => $"{Protocol}:{string.Join('/', Transforms)}";
}
