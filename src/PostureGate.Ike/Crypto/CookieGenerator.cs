// RFC 7296 §2.6 The IKE SA SPIs and Cookies: a stateless responder under load
// answers IKE_SA_INIT with N(COOKIE) and accepts only requests that echo it.
// The RFC's suggested form, with HMAC-SHA-256 as the keyed hash:
//   Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)
// The secret rotates; the previous one stays valid for one more period so
// that cookies issued just before a rotation still work.
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace PostureGate.Ike.Crypto;

public sealed class CookieGenerator : IDisposable
{
    private const int VersionLength = 4;
    private const int MacLength = 32;

    /// <summary>Length of the cookies made here (§2.6 allows 1..64).</summary>
    public const int CookieLength = VersionLength + MacLength;

    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly Lock _lock = new();
    private byte[] _current = RandomNumberGenerator.GetBytes(32);
    private byte[]? _previous;
    private uint _version = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private DateTimeOffset _rotatedAt;

    public CookieGenerator(TimeSpan? secretLifetime = null, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _lifetime = secretLifetime ?? TimeSpan.FromMinutes(5);
        _rotatedAt = _time.GetUtcNow();
    }

    /// <summary>The version id of the current secret (first four octets of every new cookie).</summary>
    public uint CurrentVersion
    {
        get
        {
            lock (_lock)
                return _version;
        }
    }

    /// <summary>The COOKIE notification data for an IKE_SA_INIT request.</summary>
    public byte[] Create(ReadOnlySpan<byte> ni, IPAddress initiatorAddress, ulong spiI)
    {
        var cookie = new byte[CookieLength];
        lock (_lock)
        {
            RotateIfDue();
            BinaryPrimitives.WriteUInt32BigEndian(cookie, _version);
            Mac(_current, ni, initiatorAddress, spiI, cookie.AsSpan(VersionLength));
        }
        return cookie;
    }

    /// <summary>Whether <paramref name="cookie"/> was made here, for these Ni, address and SPIi, with a live secret.</summary>
    public bool Verify(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> ni, IPAddress initiatorAddress, ulong spiI)
    {
        if (cookie.Length != CookieLength)
            return false;
        var version = BinaryPrimitives.ReadUInt32BigEndian(cookie);
        Span<byte> expected = stackalloc byte[MacLength];
        lock (_lock)
        {
            RotateIfDue();
            byte[]? secret = version == _version ? _current : version == _version - 1 ? _previous : null;
            if (secret is null)
                return false;
            Mac(secret, ni, initiatorAddress, spiI, expected);
        }
        return CryptographicOperations.FixedTimeEquals(expected, cookie[VersionLength..]);
    }

    /// <summary>Replaces the secret now (the previous one stays valid until the next rotation).</summary>
    public void Rotate()
    {
        lock (_lock)
            RotateLocked();
    }

    private void RotateIfDue()
    {
        var now = _time.GetUtcNow();
        if (now - _rotatedAt < _lifetime)
            return;
        // After more than two periods of silence the previous secret is stale too.
        var twice = now - _rotatedAt >= _lifetime + _lifetime;
        RotateLocked();
        if (twice)
        {
            CryptographicOperations.ZeroMemory(_previous);
            _previous = null;
        }
    }

    private void RotateLocked()
    {
        if (_previous is not null)
            CryptographicOperations.ZeroMemory(_previous);
        _previous = _current;
        _current = RandomNumberGenerator.GetBytes(32);
        _version++;
        _rotatedAt = _time.GetUtcNow();
    }

    private static void Mac(byte[] secret, ReadOnlySpan<byte> ni, IPAddress address, ulong spiI, Span<byte> destination)
    {
        Span<byte> tail = stackalloc byte[16 + 8];
        if (!address.TryWriteBytes(tail, out var addressLength))
            throw new ArgumentException("address does not fit", nameof(address));
        BinaryPrimitives.WriteUInt64BigEndian(tail[addressLength..], spiI);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(ni);
        hmac.AppendData(tail[..(addressLength + 8)]);
        hmac.GetHashAndReset(destination);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            CryptographicOperations.ZeroMemory(_current);
            if (_previous is not null)
                CryptographicOperations.ZeroMemory(_previous);
        }
    }
}
