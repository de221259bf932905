// RFC 4303 §3.4 "Inbound Packet Processing" for one SA, in the order the RFC gives:
// §3.4.3 sequence number check (before the ICV, so replays cost no crypto), §3.4.4 ICV
// verification and decryption, then the window update, the §2.4 padding check, the
// §2.6 next header, and RFC 4301 §5.2's inner-address check against the SA's selectors.
using PostureGate.Esp.Replay;
using PostureGate.Esp.Wire;

using PostureGate.Esp.Crypto;

namespace PostureGate.Esp.Sad;

/// <summary>What became of an inbound packet.</summary>
public enum InboundResult : byte
{
    /// <summary>An inner packet to deliver.</summary>
    Delivered,
    /// <summary>RFC 4303 §2.6: a TFC dummy packet (next header 59), silently discarded.</summary>
    Dummy,
    UnknownSpi,
    Replay,
    AuthFailure,
    Malformed,
    SelectorMismatch,
    PolicyDenied,
    Expired,
}

internal sealed class InboundSa : EspSa
{
    private readonly ReplayWindow _replay;
    private readonly InnerSourceSelector _selector;

    public InboundSa(EspSaConfig config, Tunnel tunnel, long installedAt, Action<EspSaExpire> expired,
        EspCryptoBackend backend = EspCryptoBackend.Auto)
        : base(config, tunnel, installedAt, expired, backend)
    {
        _replay = new ReplayWindow(config.ReplayWindow);
        _selector = new InnerSourceSelector(config.InnerSources);
    }

    public override bool Inbound => true;

    public override uint ChildSaInboundSpi => Spi;

    /// <summary>The highest authenticated sequence number (for tests and diagnostics).</summary>
    public ulong HighestSequence
    {
        get
        {
            lock (Sync)
                return _replay.Highest;
        }
    }

    /// <summary>
    /// Verifies and decrypts the ESP packet <paramref name="esp"/> in place. On
    /// <see cref="InboundResult.Delivered"/>, <paramref name="innerOffset"/> and <paramref name="innerLength"/>
    /// locate the inner IP packet inside <paramref name="esp"/>. Nothing changes on a failed ICV.
    /// </summary>
    public InboundResult Open(Span<byte> esp, uint sequenceLow, out int innerOffset, out int innerLength)
    {
        innerOffset = innerLength = 0;
        lock (Sync)
        {
            if (Dead)
            {
                ExpiredDrops++;
                return InboundResult.Expired;
            }
            var sequence = _replay.InferSequence(sequenceLow, Esn);
            if (_replay.Check(sequence) != ReplayStatus.Accept)
            {
                ReplayDrops++;
                return InboundResult.Replay;
            }
            var ciphertextLength = esp.Length - Transform.Overhead;
            if (!Transform.IsValidCiphertextLength(ciphertextLength))
            {
                MalformedDrops++;
                return InboundResult.Malformed;
            }
            if (!Transform.Open(esp, sequence, Esn))
            {
                AuthFailures++;
                return InboundResult.AuthFailure;
            }
            // §3.4.3: the window moves only for packets whose ICV verified.
            _replay.Update(sequence);

            var plaintext = esp.Slice(Transform.HeaderLength, ciphertextLength);
            if (!EspTrailer.TryRead(plaintext, out var dataLength, out var nextHeader))
            {
                MalformedDrops++;
                return InboundResult.Malformed;
            }
            if (nextHeader == (byte)EspNextHeader.NoNextHeader)
                return InboundResult.Dummy;
            var data = plaintext[..dataLength];
            // §2.6 with RFC 4301 §5.2: tunnel mode carries IPv4 (4) or IPv6 (41), and the inner header must agree.
            if (!InnerPacket.TryRead(data, out var inner)
                || (nextHeader, inner.Version) is not ((byte)EspNextHeader.Ipv4, 4) and not ((byte)EspNextHeader.Ipv6, 6))
            {
                MalformedDrops++;
                return InboundResult.Malformed;
            }
            if (!_selector.Contains(inner.Version, inner.Source))
            {
                SelectorDrops++;
                return InboundResult.SelectorMismatch;
            }
            Account(inner.TotalLength);
            innerOffset = Transform.HeaderLength;
            // RFC 4303 §2.7: TFC padding after the inner packet is not part of it.
            innerLength = inner.TotalLength;
            return InboundResult.Delivered;
        }
    }
}
