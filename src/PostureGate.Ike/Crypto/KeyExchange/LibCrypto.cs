// The libcrypto functions the MODP, ECP and X25519 key exchanges call directly (BIGNUM,
// EC_KEY and EVP_PKEY), on the library the floor loads (PostureGate.Platform.LibCryptoLoader).
// IsLoaded says whether every symbol here resolved; callers fall back to managed code when it
// is false. The EC_KEY
// functions are deprecated in OpenSSL 3.0 headers but exported, and skip the
// provider layer that EVP adds per call; X25519 has only the EVP interface.
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PostureGate.Platform;

namespace PostureGate.Ike.Crypto.KeyExchange;

internal static unsafe partial class LibCrypto
{
    private const string Library = LibCryptoLoader.Library;

    /// <summary>Whether libcrypto loaded and exports every function declared here.</summary>
    public static bool IsLoaded { get; } = LibCryptoLoader.Exports([
        "BN_CTX_new", "BN_CTX_free", "BN_new", "BN_free", "BN_clear_free", "BN_bin2bn", "BN_bn2binpad",
        "BN_MONT_CTX_new", "BN_MONT_CTX_set", "BN_mod_exp_mont_consttime",
        "EC_KEY_new_by_curve_name", "EC_KEY_free", "EC_KEY_generate_key", "EC_KEY_get0_group",
        "EC_KEY_get0_public_key", "EC_KEY_set_private_key", "EC_KEY_set_public_key",
        "EC_POINT_new", "EC_POINT_free", "EC_POINT_mul", "EC_POINT_point2oct", "EC_POINT_oct2point",
        "EC_POINT_is_on_curve", "EC_POINT_is_at_infinity", "ECDH_compute_key", "ERR_clear_error",
        "EVP_PKEY_new_raw_private_key", "EVP_PKEY_new_raw_public_key", "EVP_PKEY_get_raw_public_key",
        "EVP_PKEY_free", "EVP_PKEY_CTX_new", "EVP_PKEY_CTX_free", "EVP_PKEY_derive_init",
        "EVP_PKEY_derive_set_peer", "EVP_PKEY_derive"]);

    /// <summary>A failed libcrypto call that no peer or packet input can cause; clears the error queue.</summary>
    internal static CryptographicException Failure(string what) => LibCryptoLoader.Failure(what);

    /// <summary>
    /// Startup check of a native key exchange: two fresh key pairs, one native and
    /// one from <paramref name="reference"/>, must agree both ways. False when the
    /// library is missing or misbehaves, so the caller falls back to managed code.
    /// </summary>
    internal static bool AgreesWith(Func<KeyExchange> native, Func<KeyExchange> reference)
    {
        if (!IsLoaded)
            return false;
        try
        {
            using var a = native();
            using var b = reference();
            return a.TryComputeSharedSecret(b.PublicValue, out var ab)
                && b.TryComputeSharedSecret(a.PublicValue, out var ba)
                && ab.AsSpan().SequenceEqual(ba);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Owns one libcrypto object and frees it with the given function.</summary>
    internal sealed class OwnedHandle : SafeHandle
    {
        private readonly delegate*<nint, void> _free;

        public OwnedHandle(nint handle, delegate*<nint, void> free)
            : base(0, ownsHandle: true)
        {
            _free = free;
            SetHandle(handle);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            _free(handle);
            return true;
        }
    }

    // BIGNUM (crypto/bn).
    [LibraryImport(Library)]
    internal static partial nint BN_CTX_new();

    [LibraryImport(Library)]
    internal static partial void BN_CTX_free(nint ctx);

    [LibraryImport(Library)]
    internal static partial nint BN_new();

    [LibraryImport(Library)]
    internal static partial void BN_free(nint bn);

    [LibraryImport(Library)]
    internal static partial void BN_clear_free(nint bn);

    [LibraryImport(Library)]
    internal static partial nint BN_bin2bn(byte* s, int len, nint ret);

    [LibraryImport(Library)]
    internal static partial int BN_bn2binpad(nint a, byte* to, int tolen);

    [LibraryImport(Library)]
    internal static partial nint BN_MONT_CTX_new();

    [LibraryImport(Library)]
    internal static partial int BN_MONT_CTX_set(nint mont, nint mod, nint ctx);

    [LibraryImport(Library)]
    internal static partial int BN_mod_exp_mont_consttime(nint rr, nint a, nint p, nint m, nint ctx, nint inMont);

    // EC_KEY / EC_POINT / ECDH (crypto/ec).
    internal const int PointConversionUncompressed = 4;

    [LibraryImport(Library)]
    internal static partial nint EC_KEY_new_by_curve_name(int nid);

    /// <summary>Frees the key; OpenSSL clears the private scalar (BN_clear_free) first.</summary>
    [LibraryImport(Library)]
    internal static partial void EC_KEY_free(nint key);

    [LibraryImport(Library)]
    internal static partial int EC_KEY_generate_key(nint key);

    [LibraryImport(Library)]
    internal static partial nint EC_KEY_get0_group(nint key);

    [LibraryImport(Library)]
    internal static partial nint EC_KEY_get0_public_key(nint key);

    [LibraryImport(Library)]
    internal static partial int EC_KEY_set_private_key(nint key, nint priv);

    [LibraryImport(Library)]
    internal static partial int EC_KEY_set_public_key(nint key, nint pub);

    [LibraryImport(Library)]
    internal static partial nint EC_POINT_new(nint group);

    [LibraryImport(Library)]
    internal static partial void EC_POINT_free(nint point);

    [LibraryImport(Library)]
    internal static partial int EC_POINT_mul(nint group, nint r, nint n, nint q, nint m, nint ctx);

    [LibraryImport(Library)]
    internal static partial nuint EC_POINT_point2oct(nint group, nint p, int form, byte* buf, nuint len, nint ctx);

    [LibraryImport(Library)]
    internal static partial int EC_POINT_oct2point(nint group, nint p, byte* buf, nuint len, nint ctx);

    [LibraryImport(Library)]
    internal static partial int EC_POINT_is_on_curve(nint group, nint p, nint ctx);

    [LibraryImport(Library)]
    internal static partial int EC_POINT_is_at_infinity(nint group, nint p);

    [LibraryImport(Library)]
    internal static partial int ECDH_compute_key(byte* output, nuint outlen, nint pubKey, nint ecdh, nint kdf);

    // EVP_PKEY raw keys and derivation (crypto/evp), for X25519.
    internal const int EvpPkeyX25519 = 1034; // NID_X25519

    [LibraryImport(Library)]
    internal static partial nint EVP_PKEY_new_raw_private_key(int type, nint engine, byte* key, nuint keylen);

    [LibraryImport(Library)]
    internal static partial nint EVP_PKEY_new_raw_public_key(int type, nint engine, byte* key, nuint keylen);

    [LibraryImport(Library)]
    internal static partial int EVP_PKEY_get_raw_public_key(nint pkey, byte* pub, nuint* len);

    /// <summary>Frees the key; for X25519 OpenSSL clears the private key first.</summary>
    [LibraryImport(Library)]
    internal static partial void EVP_PKEY_free(nint pkey);

    [LibraryImport(Library)]
    internal static partial nint EVP_PKEY_CTX_new(nint pkey, nint engine);

    [LibraryImport(Library)]
    internal static partial void EVP_PKEY_CTX_free(nint ctx);

    [LibraryImport(Library)]
    internal static partial int EVP_PKEY_derive_init(nint ctx);

    [LibraryImport(Library)]
    internal static partial int EVP_PKEY_derive_set_peer(nint ctx, nint peer);

    [LibraryImport(Library)]
    internal static partial int EVP_PKEY_derive(nint ctx, byte* key, nuint* keylen);

    /// <summary>Drops what a failed call left on this thread's error queue.</summary>
    internal static void ERR_clear_error() => LibCryptoLoader.ClearErrors();
}
