// RFC 7296 §3.9 Nonce Payload
//                      1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Payload  |C|  RESERVED   |         Payload Length        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// ~                            Nonce Data                         ~
using System.Security.Cryptography;

namespace PostureGate.Ike.Messages.Payloads;

public sealed class NoncePayload : IkePayload
{
    /// <summary>§3.9: "between 16 and 256 octets, inclusive".</summary>
    public const int MinLength = 16;
    public const int MaxLength = 256;

    public NoncePayload(byte[] data) => Data = data;

    public byte[] Data { get; }

    public override PayloadType Type => PayloadType.Nonce;
    public override int BodyLength => Data.Length;

    /// <summary>A fresh random nonce; §2.10 wants at least half the PRF key size, 32 octets covers every PRF here.</summary>
    public static NoncePayload CreateRandom(int length = 32) => new(RandomNumberGenerator.GetBytes(length));

    public static bool TryParse(ReadOnlySpan<byte> body, out NoncePayload? payload, out IkeError error)
    {
        payload = new NoncePayload(body.ToArray());
        error = default;
        return true;
    }

    public override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    public override bool Verify(out IkeError error)
    {
        if (Data.Length is < MinLength or > MaxLength)
        {
            error = IkeError.Syntax($"Nonce: {Data.Length} octets, outside 16..256");
            return false;
        }
        error = default;
        return true;
    }

    public override string ToString() => $"No({Data.Length} B)";
}
