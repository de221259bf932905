// The two ESP crypto implementations side by side for the crypto tests: theory data over
// suites × {BCL, libcrypto EVP}, transforms built for one of them, and ESP packets laid out
// the way OutboundSa lays them out (RFC 4303 §2: header, IV room, payload, padding, trailer,
// ICV room) so a transform can be driven without an SA.
using PostureGate.Esp.Crypto;
using PostureGate.Esp.Crypto.OpenSsl;
using PostureGate.Esp.Tests.Support;
using PostureGate.Esp.Wire;

namespace PostureGate.Esp.Tests.Crypto;

internal static class OpenSslTestBackend
{
    public const string Bcl = "bcl";
    public const string OpenSsl = "openssl";

    public static TheoryData<string> Backends() => new() { Bcl, OpenSsl };

    public static TheoryData<string, string> SuitesAndBackends()
    {
        var data = new TheoryData<string, string>();
        foreach (var suite in TestSuite.All)
        {
            data.Add(suite.Name, Bcl);
            data.Add(suite.Name, OpenSsl);
        }
        return data;
    }

    public static TheoryData<string> Suites() => TestSuite.Names();

    /// <summary>The backend by name; skips the test when libcrypto is wanted but absent.</summary>
    public static EspCryptoBackend Backend(string name)
    {
        if (name == Bcl)
            return EspCryptoBackend.Bcl;
        Skip.IfNot(LibCrypto.IsLoaded, "libcrypto.so.3 is not available");
        return EspCryptoBackend.OpenSsl;
    }

    public static EspTransform Create(TestSuite suite, string backend, byte seed = 0x10, EspTransformUse use = EspTransformUse.Both) =>
        Create(suite, Backend(backend), suite.EncryptionKey(seed), suite.IntegrityKey(seed), use);

    public static EspTransform Create(TestSuite suite, EspCryptoBackend backend, byte[] encryptionKey, byte[] integrityKey,
        EspTransformUse use = EspTransformUse.Both) =>
        EspTransform.Create(suite.Encryption, suite.KeyBits, suite.Integrity, encryptionKey, integrityKey, use, backend);

    /// <summary>Makes a CBC transform's IVs come from <paramref name="source"/> (RFC 3602 IVs are random otherwise).</summary>
    public static void FixIv(EspTransform transform, Action<Span<byte>> source)
    {
        if (transform is AesCbcHmacEspTransform cbc)
            cbc.IvSource = iv => source(iv);
    }

    /// <summary>An unsealed ESP packet around <paramref name="inner"/> (IPv4, next header 4), as OutboundSa builds it.</summary>
    public static byte[] Layout(EspTransform transform, byte[] inner, ulong sequence, uint spi = SaFactory.Spi)
    {
        var padLength = EspTrailer.PaddingLength(inner.Length, transform.PadBlockSize);
        var esp = new byte[transform.HeaderLength + inner.Length + padLength + EspTrailer.FixedLength + transform.IcvLength];
        new EspHeader(spi, (uint)sequence).Write(esp);
        inner.CopyTo(esp, transform.HeaderLength);
        EspTrailer.Write(esp.AsSpan(transform.HeaderLength + inner.Length), padLength, (byte)EspNextHeader.Ipv4);
        return esp;
    }

    public static byte[] Seal(EspTransform transform, byte[] inner, ulong sequence, bool esn)
    {
        var esp = Layout(transform, inner, sequence);
        transform.Seal(esp, sequence, esn);
        return esp;
    }

    /// <summary>Opens a copy of <paramref name="esp"/> and returns the inner packet, or null when Open refused it.</summary>
    public static byte[]? Open(EspTransform transform, byte[] esp, ulong sequence, bool esn, int innerLength)
    {
        var copy = (byte[])esp.Clone();
        return transform.Open(copy, sequence, esn) ? copy.AsSpan(transform.HeaderLength, innerLength).ToArray() : null;
    }
}
