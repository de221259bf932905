// What inbound and outbound ESP SAs share: the transform and keys, the lifetimes of
// RFC 4301 §4.4.2.1, and the counters. Every packet operation runs under the SA's lock:
// it serialises the transform (not thread-safe) and makes deletion safe while a packet
// is in flight. Uncontended, the lock costs a few nanoseconds per packet.
using System.Security.Cryptography;
using PostureGate.Esp.Crypto;

namespace PostureGate.Esp.Sad;

internal abstract class EspSa : IDisposable
{
    protected readonly Lock Sync = new();
    protected readonly EspTransform Transform;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _integrityKey;
    private readonly SaLifetime _lifetime;
    private readonly long _installedAt;
    // The age at which CheckTime next has something to do: the once-a-second check of 100,000 SAs
    // (issue 16) is a subtraction and a compare for each, with no lock until a lifetime is near.
    private long _nextTimeCheckTicks;
    private readonly Action<EspSaExpire> _expired;
    private bool _softRaised;
    private bool _hardRaised;
    private bool _disposed;

    /// <summary>Hard-expired or deleted: no packet passes any more.</summary>
    protected bool Dead;

    protected ulong Packets;
    protected ulong Bytes;
    protected ulong ReplayDrops;
    protected ulong AuthFailures;
    protected ulong SelectorDrops;
    protected ulong PolicyDrops;
    protected ulong MalformedDrops;
    protected ulong ExpiredDrops;

    public uint Spi { get; }

    /// <summary>The inbound SPI of the CHILD_SA this SA belongs to: the pair's name towards the control plane.</summary>
    public abstract uint ChildSaInboundSpi { get; }
    public bool Esn { get; }
    public Tunnel Tunnel { get; }
    public abstract bool Inbound { get; }

    protected EspSa(EspSaConfig config, Tunnel tunnel, long installedAt, Action<EspSaExpire> expired, EspCryptoBackend backend)
    {
        // One direction per SA: the libcrypto transform keys one context, not two.
        Transform = EspTransform.Create(config.Encryption, config.KeyBits, config.Integrity, config.EncryptionKey, config.IntegrityKey,
            Inbound ? EspTransformUse.Open : EspTransformUse.Seal, backend);
        Spi = config.Spi;
        Esn = config.Esn;
        Tunnel = tunnel;
        _encryptionKey = config.EncryptionKey;
        _integrityKey = config.IntegrityKey;
        _lifetime = config.Lifetime;
        _installedAt = installedAt;
        _expired = expired;
        _nextTimeCheckTicks = NextTimeCheck().Ticks;
    }

    /// <summary>The transform, for tests that reach below the SA.</summary>
    internal EspTransform TransformForTesting => Transform;

    public EspSaCounters Counters
    {
        get
        {
            lock (Sync)
                return new EspSaCounters(Packets, Bytes, ReplayDrops, AuthFailures, SelectorDrops, PolicyDrops, MalformedDrops, ExpiredDrops);
        }
    }

    public void CountPolicyDrop()
    {
        lock (Sync)
            PolicyDrops++;
    }

    /// <summary>Counts a packet that passed and checks the byte and packet lifetimes. Caller holds the lock.</summary>
    protected void Account(int bytes)
    {
        Packets++;
        Bytes += (ulong)bytes;
        if (Reached(_lifetime.HardBytes, Bytes))
            Expire(hard: true, LifetimeLimit.Bytes);
        else if (Reached(_lifetime.HardPackets, Packets))
            Expire(hard: true, LifetimeLimit.Packets);
        else if (Reached(_lifetime.SoftBytes, Bytes))
            Expire(hard: false, LifetimeLimit.Bytes);
        else if (Reached(_lifetime.SoftPackets, Packets))
            Expire(hard: false, LifetimeLimit.Packets);
    }

    private static bool Reached(ulong limit, ulong value) => limit != 0 && value >= limit;

    /// <summary>Checks the time lifetimes; <paramref name="now"/> is a TimeProvider timestamp.</summary>
    public void CheckTime(TimeProvider time, long now)
    {
        var age = time.GetElapsedTime(_installedAt, now);
        if (age.Ticks < Volatile.Read(ref _nextTimeCheckTicks))
            return;
        lock (Sync)
        {
            if (_lifetime.HardTime > TimeSpan.Zero && age >= _lifetime.HardTime)
                Expire(hard: true, LifetimeLimit.Time);
            else if (_lifetime.SoftTime > TimeSpan.Zero && age >= _lifetime.SoftTime)
                Expire(hard: false, LifetimeLimit.Time);
            Volatile.Write(ref _nextTimeCheckTicks, NextTimeCheck().Ticks);
        }
    }

    // The nearer time lifetime not yet raised (RFC 4301 §4.4.2.1: soft, then hard); none: never.
    private TimeSpan NextTimeCheck()
    {
        var hard = !_hardRaised && _lifetime.HardTime > TimeSpan.Zero ? _lifetime.HardTime : TimeSpan.MaxValue;
        var soft = !_softRaised && _lifetime.SoftTime > TimeSpan.Zero ? _lifetime.SoftTime : TimeSpan.MaxValue;
        return soft < hard ? soft : hard;
    }

    /// <summary>Raises an expire once per severity; a hard one also stops the SA. Caller holds the lock.</summary>
    protected void Expire(bool hard, LifetimeLimit limit)
    {
        if (hard)
        {
            Dead = true;
            if (_hardRaised)
                return;
            _hardRaised = _softRaised = true;
        }
        else
        {
            if (_softRaised)
                return;
            _softRaised = true;
        }
        _expired(new EspSaExpire(ChildSaInboundSpi, Spi, Inbound, Tunnel.Id, hard, limit));
    }

    /// <summary>Stops the SA and zeroes its keys; a packet in flight finishes first (it holds the lock).</summary>
    public void Dispose()
    {
        lock (Sync)
        {
            if (_disposed)
                return;
            _disposed = true;
            Dead = true;
            _hardRaised = true; // a deleted SA raises nothing more
            Transform.Dispose();
            CryptographicOperations.ZeroMemory(_encryptionKey);
            CryptographicOperations.ZeroMemory(_integrityKey);
        }
    }
}
