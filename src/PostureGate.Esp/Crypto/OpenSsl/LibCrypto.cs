// The libcrypto functions the ESP transforms call (OpenSSL 3.0 EVP_CIPHER and EVP_MAC), on the
// library the floor loads (PostureGate.Platform.LibCryptoLoader): IsLoaded says whether every
// symbol here resolved, and callers fall back to the BCL when it is false.
//
// Why not the BCL: AesGcm, ChaCha20Poly1305 and the CBC/HMAC wrappers re-initialise an
// EVP context and clear the error queue on every call; a profile of the gateway at
// 650 Mbit/s AES-256-GCM spent more in that (ERR_clear_error, CRYPTO_free, strcmp,
// EVP_CIPHER_CTX_ctrl) than in GCM itself. Here a context is keyed once per SA and each
// packet sets only its nonce, AAD, data and tag (bench: esp-pipeline).
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PostureGate.Platform;

namespace PostureGate.Esp.Crypto.OpenSsl;

internal static unsafe partial class LibCrypto
{
    private const string Library = LibCryptoLoader.Library;

    /// <summary>Whether libcrypto loaded and exports every function declared here.</summary>
    public static bool IsLoaded { get; } = LibCryptoLoader.Exports([
        "EVP_CIPHER_fetch", "EVP_CIPHER_free", "EVP_CIPHER_CTX_new", "EVP_CIPHER_CTX_free",
        "EVP_CipherInit_ex", "EVP_CIPHER_CTX_ctrl", "EVP_CIPHER_CTX_set_padding",
        "EVP_CipherUpdate", "EVP_CipherFinal_ex",
        "EVP_MAC_fetch", "EVP_MAC_free", "EVP_MAC_CTX_new", "EVP_MAC_CTX_free",
        "EVP_MAC_init", "EVP_MAC_update", "EVP_MAC_final", "ERR_clear_error"]);

    /// <summary>A failed libcrypto call that no peer or packet input can cause; clears the error queue.</summary>
    internal static CryptographicException Failure(string what) => LibCryptoLoader.Failure(what);

    // EVP_CIPHER (crypto/evp). Contexts are used only under their SA's lock, so these calls
    // never race on one context.
    internal const int CtrlAeadSetIvLength = 0x9;  // EVP_CTRL_AEAD_SET_IVLEN
    internal const int CtrlAeadGetTag = 0x10;      // EVP_CTRL_AEAD_GET_TAG
    internal const int CtrlAeadSetTag = 0x11;      // EVP_CTRL_AEAD_SET_TAG

    /// <summary>Keep the context's current direction (EVP_CipherInit_ex's enc = -1).</summary>
    internal const int KeepDirection = -1;

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint EVP_CIPHER_fetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    internal static partial void EVP_CIPHER_free(nint cipher);

    [LibraryImport(Library)]
    internal static partial nint EVP_CIPHER_CTX_new();

    /// <summary>Frees the context; the provider clears its key schedule first.</summary>
    [LibraryImport(Library)]
    internal static partial void EVP_CIPHER_CTX_free(nint ctx);

    [LibraryImport(Library)]
    internal static partial int EVP_CipherInit_ex(nint ctx, nint cipher, nint engine, byte* key, byte* iv, int enc);

    [LibraryImport(Library)]
    internal static partial int EVP_CIPHER_CTX_ctrl(nint ctx, int type, int arg, void* ptr);

    [LibraryImport(Library)]
    internal static partial int EVP_CIPHER_CTX_set_padding(nint ctx, int pad);

    [LibraryImport(Library)]
    internal static partial int EVP_CipherUpdate(nint ctx, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(Library)]
    internal static partial int EVP_CipherFinal_ex(nint ctx, byte* output, int* outputLength);

    // EVP_MAC (OpenSSL 3), for the HMACs of RFC 2404 / RFC 4868.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint EVP_MAC_fetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    internal static partial void EVP_MAC_free(nint mac);

    [LibraryImport(Library)]
    internal static partial nint EVP_MAC_CTX_new(nint mac);

    /// <summary>Frees the context; HMAC clears its key state first.</summary>
    [LibraryImport(Library)]
    internal static partial void EVP_MAC_CTX_free(nint ctx);

    /// <summary>With a null key, restarts the MAC under the key already set (no new key schedule).</summary>
    [LibraryImport(Library)]
    internal static partial int EVP_MAC_init(nint ctx, byte* key, nuint keyLength, OsslParam* parameters);

    [LibraryImport(Library)]
    internal static partial int EVP_MAC_update(nint ctx, byte* data, nuint length);

    [LibraryImport(Library)]
    internal static partial int EVP_MAC_final(nint ctx, byte* output, nuint* outputLength, nuint outputSize);

    /// <summary>Drops what a failed call left on this thread's error queue.</summary>
    internal static void ERR_clear_error() => LibCryptoLoader.ClearErrors();

    /// <summary>OSSL_PARAM (openssl/core.h): one named parameter; an array ends with a null key.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct OsslParam
    {
        public const uint Utf8String = 4;                // OSSL_PARAM_UTF8_STRING
        public static readonly nuint Unmodified = nuint.MaxValue; // OSSL_PARAM_UNMODIFIED

        public byte* Key;
        public uint DataType;
        public void* Data;
        public nuint DataSize;
        public nuint ReturnSize;
    }
}
