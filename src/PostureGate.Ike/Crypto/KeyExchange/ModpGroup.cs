// RFC 3526 "More Modular Exponential (MODP) Diffie-Hellman groups for IKE":
// the 2048-, 3072- and 4096-bit safe primes (§3, §4, §5), generator 2.
// Private exponent sizes follow NIST SP 800-56A Rev. 3 §5.6.1.1.1 for
// safe-prime groups: N = 2·s bits, s the group's security strength
// (SP 800-56A Rev. 3 Appendix D / SP 800-57 Part 1 Table 2: 112, 128, 152).
// strongSwan uses a full-length exponent by default; 2·s gives the same
// security for a fraction of the cost, which is what the gateway is
// measured on.
using System.Numerics;
using PostureGate.Proposals;

namespace PostureGate.Ike.Crypto.KeyExchange;

/// <summary>One RFC 3526 MODP group: its prime, generator 2 and exponent size.</summary>
internal sealed class ModpGroup
{
    // Each prime is 2^N - 2^(N-64) - 1 + 2^64·(floor(2^(N-130)·π) + k) (RFC 3526 §1),
    // so the three share their leading digits; the 3072- and 4096-bit ones share more.
    private const string SharedHead =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74" +
        "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437" +
        "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05" +
        "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB" +
        "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718";

    private const string Shared3072And4096 =
        "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33" +
        "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864" +
        "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2";

    public static readonly ModpGroup Modp2048 = new(KeyExchangeMethod.Modp2048, securityBits: 112, SharedHead +
        "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF");

    public static readonly ModpGroup Modp3072 = new(KeyExchangeMethod.Modp3072, securityBits: 128, SharedHead + Shared3072And4096 +
        "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF");

    public static readonly ModpGroup Modp4096 = new(KeyExchangeMethod.Modp4096, securityBits: 152, SharedHead + Shared3072And4096 +
        "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7" +
        "88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8" +
        "DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2" +
        "233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9" +
        "93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF");

    private ModpGroup(KeyExchangeMethod method, int securityBits, string primeHex)
    {
        Method = method;
        Prime = Convert.FromHexString(primeHex);
        PrimeMinusOne = (byte[])Prime.Clone();
        // p is odd, so p - 1 only clears the lowest bit.
        PrimeMinusOne[^1] &= 0xFE;
        PrimeValue = new BigInteger(Prime, isUnsigned: true, isBigEndian: true);
        ExponentLength = (2 * securityBits + 7) / 8;
    }

    public KeyExchangeMethod Method { get; }

    /// <summary>Big-endian prime; its length is the KE payload and shared-secret length (RFC 7296 §3.4).</summary>
    public byte[] Prime { get; }

    public byte[] PrimeMinusOne { get; }

    public BigInteger PrimeValue { get; }

    public int Length => Prime.Length;

    /// <summary>Bytes of private exponent: 2·s bits rounded up to whole bytes.</summary>
    public int ExponentLength { get; }

    public static ModpGroup? For(KeyExchangeMethod method) => method switch
    {
        KeyExchangeMethod.Modp2048 => Modp2048,
        KeyExchangeMethod.Modp3072 => Modp3072,
        KeyExchangeMethod.Modp4096 => Modp4096,
        _ => null,
    };

    /// <summary>
    /// RFC 6989 §2.1: a peer value y is acceptable only when 1 &lt; y &lt; p−1.
    /// Both operands are big-endian and exactly <see cref="Length"/> bytes long.
    /// </summary>
    public bool IsValidPublicValue(ReadOnlySpan<byte> y)
    {
        if (y.Length != Length)
            return false;
        // y > 1: some byte before the last is non-zero, or the last byte is ≥ 2.
        var greaterThanOne = y[^1] > 1 || y[..^1].ContainsAnyExcept((byte)0);
        // y < p − 1: lexicographic order equals numeric order at equal length.
        return greaterThanOne && y.SequenceCompareTo(PrimeMinusOne) < 0;
    }
}
