// A configured PSK, password or API key: never printed by ToString, zeroed on Dispose, compared in constant time — PostureGate's own.
using System.Security.Cryptography;
using System.Text;

namespace PostureGate.Config.Model;

/// <summary>
/// A pre-shared key, password or API key. ToString never shows it; the bytes are
/// zeroed on Dispose. Equality is by value in constant time (for the round-trip
/// checks; nothing secret-dependent leaks through timing).
/// </summary>
public sealed class Secret : IEquatable<Secret>, IDisposable
{
    private readonly byte[] _utf8;

    public Secret(string value) => _utf8 = Encoding.UTF8.GetBytes(value);

    public Secret(ReadOnlySpan<byte> utf8) => _utf8 = utf8.ToArray();

    public int Length => _utf8.Length;

    /// <summary>The <c>ENC</c> text it was read from, printed again as is so `config show` is a fixed point.</summary>
    internal string? SealedText { get; init; }

    /// <summary>The secret bytes (UTF-8), for the code that actually uses them (PSK auth, EMS API calls).</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>The clear text; only for `config show --show-secrets`.</summary>
    public string Reveal() => Encoding.UTF8.GetString(_utf8);

    public void Dispose() => CryptographicOperations.ZeroMemory(_utf8);

    public bool Equals(Secret? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_utf8, other._utf8);

    public override bool Equals(object? obj) => Equals(obj as Secret);

    // Length only: a content hash would be an oracle on the secret.
    public override int GetHashCode() => _utf8.Length;

    public override string ToString() => "****";
}
