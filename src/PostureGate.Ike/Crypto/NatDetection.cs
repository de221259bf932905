// RFC 7296 §2.23 NAT detection: the NAT_DETECTION_SOURCE_IP / _DESTINATION_IP
// notification data is SHA-1(SPIi | SPIr | IP | Port), with the SPIs as in the
// header (SPIr zero in the IKE_SA_INIT request) and the address and port in
// network order as the sender sees them.
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace PostureGate.Ike.Crypto;

public static class NatDetection
{
    public const int HashLength = 20;

    public static byte[] ComputeHash(ulong spiI, ulong spiR, IPEndPoint endPoint)
    {
        var hash = new byte[HashLength];
        ComputeHash(spiI, spiR, endPoint, hash);
        return hash;
    }

    public static void ComputeHash(ulong spiI, ulong spiR, IPEndPoint endPoint, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[8 + 8 + 16 + 2];
        BinaryPrimitives.WriteUInt64BigEndian(input, spiI);
        BinaryPrimitives.WriteUInt64BigEndian(input[8..], spiR);
        if (!endPoint.Address.TryWriteBytes(input[16..], out var addressLength))
            throw new ArgumentException("address does not fit", nameof(endPoint));
        BinaryPrimitives.WriteUInt16BigEndian(input[(16 + addressLength)..], (ushort)endPoint.Port);
        SHA1.HashData(input[..(16 + addressLength + 2)], destination);
    }

    /// <summary>Whether <paramref name="received"/> is the hash of <paramref name="endPoint"/> (no NAT on that side).</summary>
    public static bool Matches(ReadOnlySpan<byte> received, ulong spiI, ulong spiR, IPEndPoint endPoint)
    {
        if (received.Length != HashLength)
            return false;
        Span<byte> expected = stackalloc byte[HashLength];
        ComputeHash(spiI, spiR, endPoint, expected);
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    /// <summary>
    /// §2.23: the peer is behind a NAT when none of its NAT_DETECTION_SOURCE_IP hashes matches the address the
    /// packet came from; this side is behind a NAT when the DESTINATION_IP hash does not match our own address.
    /// </summary>
    public static bool AnyMatches(IEnumerable<byte[]> receivedHashes, ulong spiI, ulong spiR, IPEndPoint endPoint) =>
        receivedHashes.Any(h => Matches(h, spiI, spiR, endPoint));
}
