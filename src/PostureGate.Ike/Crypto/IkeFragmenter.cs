// RFC 7383 §2.5 Fragmenting Message: the inner payloads of a message that would
// be too big are split into chunks, and each chunk is sent as its own IKE
// message with one Encrypted Fragment payload (SKF), separately protected with
// the SA keys. The first fragment's SKF names the first inner payload; the
// others carry zero. Fragment Number and Total Fragments are authenticated
// with the rest of the header (they precede the IV).
using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Crypto;

public static class IkeFragmenter
{
    /// <summary>IKE header, SKF generic header, Fragment Number and Total Fragments.</summary>
    public const int FragmentOverhead = IkeHeader.Size + PayloadHeader.Size + EncryptedFragmentPayload.FragmentHeaderSize;

    /// <summary>
    /// Encodes <paramref name="message"/> as SKF fragments of at most <paramref name="maxMessageSize"/> octets each
    /// (the IKE message, without IP/UDP headers or the non-ESP marker). A message that fits is still sent as
    /// one fragment "1 of 1"; callers send plain SK when fragmentation is not needed.
    /// </summary>
    public static List<byte[]> Fragment(IkeMessage message, SkCipher outbound, int maxMessageSize)
    {
        // RFC 7383 §2.5.3: IKE_SA_INIT is never fragmented (it is not encrypted).
        if (message.Exchange == ExchangeType.IkeSaInit)
            throw new ArgumentException("IKE_SA_INIT cannot be fragmented", nameof(message));
        var chunkSize = outbound.GetMaxPlaintextLength(maxMessageSize - FragmentOverhead);
        if (chunkSize < 1)
            throw new ArgumentOutOfRangeException(nameof(maxMessageSize), "too small for a single fragment");
        var inner = PayloadChainBytes(message, out var innerLength);
        try
        {
            var total = Math.Max(1, (innerLength + chunkSize - 1) / chunkSize);
            if (total > ushort.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(maxMessageSize), "too many fragments");
            var first = message.Payloads.Count > 0 ? message.Payloads[0].Type : PayloadType.NoNextPayload;
            var fragments = new List<byte[]>(total);
            for (var i = 0; i < total; i++)
            {
                var chunk = inner.AsSpan(i * chunkSize, Math.Min(chunkSize, innerLength - i * chunkSize));
                var protectedLength = outbound.GetProtectedLength(chunk.Length);
                var buffer = new byte[FragmentOverhead + protectedLength];
                message.WriteEncryptedHeaders(buffer, PayloadType.EncryptedFragment, i == 0 ? first : PayloadType.NoNextPayload,
                    PayloadHeader.Size + EncryptedFragmentPayload.FragmentHeaderSize + protectedLength);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(IkeHeader.Size + PayloadHeader.Size), (ushort)(i + 1));
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(IkeHeader.Size + PayloadHeader.Size + 2), (ushort)total);
                outbound.Protect(buffer, FragmentOverhead, chunk);
                fragments.Add(buffer);
            }
            return fragments;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inner.AsSpan(0, innerLength));
            ArrayPool<byte>.Shared.Return(inner);
        }
    }

    private static byte[] PayloadChainBytes(IkeMessage message, out int length)
    {
        length = PayloadChain.GetLength(message.Payloads);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        PayloadChain.Write(message.Payloads, buffer.AsSpan(0, length));
        return buffer;
    }
}
