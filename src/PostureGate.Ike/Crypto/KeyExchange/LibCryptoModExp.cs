// Modular exponentiation through the system's OpenSSL libcrypto (Debian 12:
// libcrypto.so.3, OpenSSL 3.0): BN_mod_exp_mont_consttime is about ten times
// faster than BigInteger.ModPow for MODP-sized numbers, and is what strongSwan's
// openssl plugin ends up in. Every BIGNUM is freed in a finally; the ones that
// hold a private exponent or a shared secret with BN_clear_free. The Montgomery
// context of each prime is built once and kept for the life of the process
// (read-only after BN_MONT_CTX_set, so threads may share it).
// When the library or a symbol is missing, IsAvailable is false and callers use
// BigInteger.ModPow instead.
using System.Collections.Concurrent;
using System.Security.Cryptography;
using static PostureGate.Ike.Crypto.KeyExchange.LibCrypto;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal static unsafe class LibCryptoModExp
{
    private static readonly ConcurrentDictionary<ModpGroup, Lazy<MontgomeryContext>> s_montgomery = new();
    private static readonly Lazy<bool> s_available = new(Probe);

    /// <summary>True when libcrypto could be loaded and every function used here resolved.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>
    /// result = base^exponent mod p, big-endian, padded to the prime's length.
    /// Constant-time in the exponent (OpenSSL's consttime ladder).
    /// </summary>
    public static void ModPow(ModpGroup group, ReadOnlySpan<byte> @base, ReadOnlySpan<byte> exponent, Span<byte> result)
    {
        if (result.Length != group.Length)
            throw new ArgumentException("result must be the prime's length", nameof(result));
        // Lazy: two threads racing here must not both build (and leak) a context.
        var mont = s_montgomery.GetOrAdd(group, static g => new Lazy<MontgomeryContext>(() => new MontgomeryContext(g))).Value;

        nint ctx = 0, b = 0, e = 0, r = 0;
        try
        {
            ctx = BN_CTX_new();
            r = BN_new();
            fixed (byte* pb = @base)
                b = BN_bin2bn(pb, @base.Length, 0);
            fixed (byte* pe = exponent)
                e = BN_bin2bn(pe, exponent.Length, 0);
            if (ctx == 0 || r == 0 || b == 0 || e == 0)
                throw Failure("BIGNUM allocation");
            if (BN_mod_exp_mont_consttime(r, b, e, mont.Modulus, ctx, mont.Handle) != 1)
                throw Failure("BN_mod_exp_mont_consttime");
            fixed (byte* pr = result)
            {
                if (BN_bn2binpad(r, pr, result.Length) != result.Length)
                    throw Failure("BN_bn2binpad");
            }
        }
        finally
        {
            // The base may be a peer value (public) or g; the exponent and the
            // result (g^xy) are secret.
            if (e != 0) BN_clear_free(e);
            if (r != 0) BN_clear_free(r);
            if (b != 0) BN_free(b);
            if (ctx != 0) BN_CTX_free(ctx);
        }
    }

    private static bool Probe()
    {
        if (!LibCrypto.IsLoaded)
            return false;
        try
        {
            // One real call proves the calling convention and the library work.
            Span<byte> r = stackalloc byte[ModpGroup.Modp2048.Length];
            ModPow(ModpGroup.Modp2048, [2], [3], r);
            return r[^1] == 8 && r[..^1].IndexOfAnyExcept((byte)0) < 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>A prime as BIGNUM plus its BN_MONT_CTX; never freed (one per group per process).</summary>
    private sealed class MontgomeryContext
    {
        public MontgomeryContext(ModpGroup group)
        {
            fixed (byte* pp = group.Prime)
                Modulus = BN_bin2bn(pp, group.Prime.Length, 0);
            Handle = BN_MONT_CTX_new();
            var ctx = BN_CTX_new();
            try
            {
                if (Modulus == 0 || Handle == 0 || ctx == 0 || BN_MONT_CTX_set(Handle, Modulus, ctx) != 1)
                    throw Failure("BN_MONT_CTX_set");
            }
            finally
            {
                if (ctx != 0) BN_CTX_free(ctx);
            }
        }

        public nint Modulus { get; }
        public nint Handle { get; }
    }
}
