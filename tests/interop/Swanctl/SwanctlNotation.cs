namespace PostureGate.Interop.Tests.Swanctl;

/// <summary>charon writes a cipher with its key size as NAME_BITS (AES_CBC_128, AES_GCM_16_256);
/// ciphers of a single size (CHACHA20_POLY1305) carry no size.</summary>
internal static class SwanctlNotation
{
    public static string? Cipher(string? alg, int? keySize) =>
        alg is null ? null : keySize is > 0 ? $"{alg}_{keySize}" : alg;

    public static string Join(params string?[] parts) => string.Join('/', parts.Where(p => !string.IsNullOrEmpty(p)));
}
