// IKE SPIs (RFC 7296 §2.6: 8 random octets, never zero) and ESP SPIs (RFC 4303 §2.1:
// 4 octets, 1..255 reserved by IANA).
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PostureGate.Ike.Sa;

public static class SpiGenerator
{
    public static ulong NewIkeSpi()
    {
        Span<byte> b = stackalloc byte[8];
        ulong v;
        do
        {
            RandomNumberGenerator.Fill(b);
            v = BinaryPrimitives.ReadUInt64BigEndian(b);
        } while (v == 0);
        return v;
    }

    public static uint NewEspSpi()
    {
        Span<byte> b = stackalloc byte[4];
        uint v;
        do
        {
            RandomNumberGenerator.Fill(b);
            v = BinaryPrimitives.ReadUInt32BigEndian(b);
        } while (v < 256);
        return v;
    }

    public static byte[] Nonce(int length = 32) => RandomNumberGenerator.GetBytes(length);
}
