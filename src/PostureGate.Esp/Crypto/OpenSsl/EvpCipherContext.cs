// One EVP_CIPHER_CTX keyed once for the life of an SA, in one direction. Per packet only
// the IV is set again (EVP_CipherInit_ex with no cipher and no key keeps the key schedule),
// then AAD, data in place, and the tag. Not thread-safe: the SA's lock serialises callers.
using System.Runtime.InteropServices;
using static PostureGate.Esp.Crypto.OpenSsl.LibCrypto;

namespace PostureGate.Esp.Crypto.OpenSsl;

internal sealed unsafe class EvpCipherContext : SafeHandle
{
    private EvpCipherContext() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    public bool Encrypting { get; private init; }

    /// <summary>
    /// A context for <paramref name="algorithm"/> (an OpenSSL name such as "AES-256-GCM") keyed
    /// with <paramref name="key"/>; OpenSSL keeps its own copy of the key.
    /// </summary>
    /// <param name="aeadNonceLength">For an AEAD, the nonce length to fix (SET_IVLEN) before any IV is set; 0 for none.</param>
    public static EvpCipherContext Create(string algorithm, ReadOnlySpan<byte> key, bool encrypt, bool padding = true, int aeadNonceLength = 0)
    {
        var cipher = EVP_CIPHER_fetch(0, algorithm, null);
        if (cipher == 0)
            throw Failure($"EVP_CIPHER_fetch({algorithm})");
        var context = new EvpCipherContext { Encrypting = encrypt };
        try
        {
            context.SetHandle(EVP_CIPHER_CTX_new());
            if (context.IsInvalid)
                throw Failure("EVP_CIPHER_CTX_new");
            int ok;
            fixed (byte* k = key)
                ok = EVP_CipherInit_ex(context.handle, cipher, 0, k, null, encrypt ? 1 : 0);
            if (ok != 1)
                throw Failure($"EVP_CipherInit_ex({algorithm})");
            if (aeadNonceLength != 0 && EVP_CIPHER_CTX_ctrl(context.handle, CtrlAeadSetIvLength, aeadNonceLength, null) != 1)
                throw Failure($"EVP_CTRL_AEAD_SET_IVLEN({aeadNonceLength})");
            // RFC 3602 §3: ESP pads to the block itself; OpenSSL's PKCS#7 padding stays off.
            if (!padding && EVP_CIPHER_CTX_set_padding(context.handle, 0) != 1)
                throw Failure("EVP_CIPHER_CTX_set_padding");
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
        finally
        {
            // The context holds its own reference to the fetched cipher.
            EVP_CIPHER_free(cipher);
        }
    }

    /// <summary>Starts a message under the existing key with <paramref name="iv"/> (its length is the cipher's).</summary>
    public bool Restart(ReadOnlySpan<byte> iv)
    {
        fixed (byte* v = iv)
            return EVP_CipherInit_ex(Live, 0, 0, null, v, KeepDirection) == 1;
    }

    /// <summary>AEAD: authenticates <paramref name="aad"/> (EVP_CipherUpdate with no output).</summary>
    public bool AddAad(ReadOnlySpan<byte> aad)
    {
        int written;
        fixed (byte* a = aad)
            return EVP_CipherUpdate(Live, null, &written, a, aad.Length) == 1;
    }

    /// <summary>Encrypts or decrypts <paramref name="data"/> in place; all of it comes out (stream or whole blocks).</summary>
    public bool Transform(Span<byte> data)
    {
        if (data.IsEmpty)
            return true;
        int written;
        fixed (byte* d = data)
        {
            return EVP_CipherUpdate(Live, d, &written, d, data.Length) == 1 && written == data.Length;
        }
    }

    /// <summary>Ends the message; for a decrypting AEAD context this verifies the tag set before.</summary>
    public bool Finish()
    {
        // With whole blocks, no padding, or an AEAD nothing is left to write.
        byte* none = stackalloc byte[32];
        int written;
        return EVP_CipherFinal_ex(Live, none, &written) == 1 && written == 0;
    }

    public bool GetTag(Span<byte> tag)
    {
        fixed (byte* t = tag)
            return EVP_CIPHER_CTX_ctrl(Live, CtrlAeadGetTag, tag.Length, t) == 1;
    }

    public bool SetTag(ReadOnlySpan<byte> tag)
    {
        fixed (byte* t = tag)
            return EVP_CIPHER_CTX_ctrl(Live, CtrlAeadSetTag, tag.Length, t) == 1;
    }

    /// <summary>The native pointer, refusing a freed context rather than handing OpenSSL freed memory.</summary>
    private nint Live
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    protected override bool ReleaseHandle()
    {
        EVP_CIPHER_CTX_free(handle);
        return true;
    }
}
