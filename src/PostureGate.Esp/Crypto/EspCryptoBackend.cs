// Which library does an ESP SA's cryptography (EspTransform): an operator's choice, set in
// EspDataPlaneOptions.Crypto by the composition root (docs/operations.md, data-plane tuning).
namespace PostureGate.Esp.Crypto;

public enum EspCryptoBackend
{
    /// <summary>libcrypto when it loads and passes its self-test against the BCL, else the BCL.</summary>
    Auto,
    /// <summary>.NET's AesGcm, ChaCha20Poly1305, Aes and HMAC.</summary>
    Bcl,
    /// <summary>OpenSSL 3 EVP contexts keyed once per SA.</summary>
    OpenSsl,
}
