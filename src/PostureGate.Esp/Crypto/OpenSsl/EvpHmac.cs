// One HMAC (RFC 2104) context through OpenSSL 3's EVP_MAC, keyed once for the life of an SA:
// each ICV restarts it with EVP_MAC_init and no key, which copies back the keyed inner and
// outer digest states instead of hashing the key again. Not thread-safe: the SA's lock
// serialises callers.
using System.Runtime.InteropServices;
using static PostureGate.Esp.Crypto.OpenSsl.LibCrypto;

namespace PostureGate.Esp.Crypto.OpenSsl;

internal sealed unsafe class EvpHmac : SafeHandle
{
    // The HMAC implementation, fetched once for the process (OpenSSL caches it anyway).
    private static readonly Lazy<nint> s_hmac = new(() => EVP_MAC_fetch(0, "HMAC", null));

    private EvpHmac() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    /// <summary>An HMAC over <paramref name="digest"/> (an OpenSSL name: "SHA1", "SHA256", …) keyed with <paramref name="key"/>.</summary>
    public static EvpHmac Create(string digest, ReadOnlySpan<byte> key)
    {
        var mac = s_hmac.Value;
        if (mac == 0)
            throw Failure("EVP_MAC_fetch(HMAC)");
        var context = new EvpHmac();
        try
        {
            context.SetHandle(EVP_MAC_CTX_new(mac));
            if (context.IsInvalid)
                throw Failure("EVP_MAC_CTX_new");
            // OSSL_MAC_PARAM_DIGEST, a UTF-8 string parameter, read during this call only.
            var name = System.Text.Encoding.ASCII.GetBytes(digest + "\0");
            int ok;
            fixed (byte* k = key, n = name, d = "digest\0"u8)
            {
                var parameters = stackalloc OsslParam[2];
                parameters[0] = new OsslParam
                {
                    Key = d,
                    DataType = OsslParam.Utf8String,
                    Data = n,
                    DataSize = (nuint)digest.Length,
                    ReturnSize = OsslParam.Unmodified,
                };
                parameters[1] = default;
                ok = EVP_MAC_init(context.handle, k, (nuint)key.Length, parameters);
            }
            if (ok != 1)
                throw Failure($"EVP_MAC_init(HMAC-{digest})");
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes HMAC(key, first ‖ second) to <paramref name="mac"/> (at least the digest's length)
    /// and returns its length, or 0 when libcrypto failed.
    /// </summary>
    public int Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> mac)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        nuint written;
        fixed (byte* a = first, b = second, m = mac)
        {
            if (EVP_MAC_init(handle, null, 0, null) != 1
                || (!first.IsEmpty && EVP_MAC_update(handle, a, (nuint)first.Length) != 1)
                || (!second.IsEmpty && EVP_MAC_update(handle, b, (nuint)second.Length) != 1)
                || EVP_MAC_final(handle, m, &written, (nuint)mac.Length) != 1)
            {
                ERR_clear_error();
                return 0;
            }
        }
        return (int)written;
    }

    protected override bool ReleaseHandle()
    {
        EVP_MAC_CTX_free(handle);
        return true;
    }
}
