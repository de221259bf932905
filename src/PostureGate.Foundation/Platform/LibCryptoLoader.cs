// The system's OpenSSL libcrypto (Debian 12: libcrypto.so.3, OpenSSL 3.0), loaded once for the
// process. The IKE key exchanges and the ESP transforms declare the functions they call
// ([LibraryImport(LibCryptoLoader.Library)]) and ask here whether those symbols resolve;
// when they do not, each falls back to the BCL.
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PostureGate.Platform;

public static partial class LibCryptoLoader
{
    public const string Library = "libcrypto.so.3";

    private static readonly Lazy<nint> s_handle = new(() =>
        NativeLibrary.TryLoad(Library, typeof(LibCryptoLoader).Assembly, null, out var handle) ? handle : 0);

    /// <summary>Whether the library loads and exports every one of <paramref name="symbols"/>.</summary>
    public static bool Exports(params ReadOnlySpan<string> symbols)
    {
        var handle = s_handle.Value;
        if (handle == 0)
            return false;
        foreach (var name in symbols)
        {
            if (!NativeLibrary.TryGetExport(handle, name, out _))
                return false;
        }
        return true;
    }

    /// <summary>A failed libcrypto call that no packet or peer input can cause; clears this thread's error queue.</summary>
    public static CryptographicException Failure(string what)
    {
        ClearErrors();
        return new CryptographicException($"libcrypto: {what} failed");
    }

    /// <summary>Drops what a failed call left on this thread's error queue.</summary>
    public static void ClearErrors() => ERR_clear_error();

    [LibraryImport(Library)]
    private static partial void ERR_clear_error();
}
