// An IKEv2 message (RFC 7296 §3): the header and the ordered payload list.
//
// Receiving, in three steps:
//   1. TryParse      header checks (§3.1, §2.5 version), outer chain up to SK/SKF,
//                    per-payload Verify(); unencrypted messages (IKE_SA_INIT) are
//                    checked against the exchange rules here.
//   2. TryDecrypt    SK: ICV check and decryption with the inbound SkCipher, inner
//                    chain parse (§3.14: SK's Next Payload is the first inner type),
//                    exchange rules. SKF goes through IkeFragmentReassembler instead.
//   3. the state machine reads Payloads (Find / FindNotify …).
// Sending: build with a header and payloads, then Encode() (IKE_SA_INIT) or
// Encode(outbound) to put every payload inside SK.
using System.Buffers;
using System.Security.Cryptography;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Messages;

public sealed class IkeMessage
{
    public IkeMessage(IkeHeader header, IEnumerable<IkePayload>? payloads = null)
    {
        Header = header;
        Payloads = payloads is null ? [] : [.. payloads];
    }

    /// <summary>The header; Next Payload and Length are recomputed by Encode.</summary>
    public IkeHeader Header { get; set; }

    /// <summary>
    /// The payloads in wire order. After <see cref="TryDecrypt"/> these are the payloads that were inside SK
    /// (preceded by any that were outside it); before, an encrypted message ends with its SK/SKF payload.
    /// </summary>
    public List<IkePayload> Payloads { get; }

    /// <summary>How many leading payloads were outside SK (all of them for an unencrypted message).</summary>
    public int UnprotectedCount { get; private set; }

    /// <summary>True once the payloads came out of an SK/SKF payload that passed its integrity check.</summary>
    public bool IsProtected { get; private set; }

    /// <summary>The octets as received (or as last encoded): the "RealMessage" input of §2.15 AUTH.</summary>
    public ReadOnlyMemory<byte> RawBytes { get; private set; }

    public ExchangeType Exchange => Header.Exchange;
    public uint MessageId => Header.MessageId;
    public bool IsResponse => Header.IsResponse;

    public EncryptedPayload? Encrypted => Payloads.Count > 0 ? Payloads[^1] as EncryptedPayload : null;
    public EncryptedFragmentPayload? Fragment => Payloads.Count > 0 ? Payloads[^1] as EncryptedFragmentPayload : null;

    // The lookups run several times per message: plain loops, no LINQ iterators or closures.
    public T? Find<T>() where T : IkePayload
    {
        foreach (var p in Payloads)
            if (p is T t)
                return t;
        return null;
    }

    public IkePayload? Find(PayloadType type)
    {
        foreach (var p in Payloads)
            if (p.Type == type)
                return p;
        return null;
    }

    public IEnumerable<T> FindAll<T>() where T : IkePayload => Payloads.OfType<T>();

    public NotifyPayload? FindNotify(NotifyType type)
    {
        foreach (var p in Payloads)
            if (p is NotifyPayload n && n.NotifyType == type)
                return n;
        return null;
    }

    public bool HasNotify(NotifyType type) => FindNotify(type) is not null;

    /// <summary>The first error notify (§3.10.1 types below 16384), if the peer reported one.</summary>
    public NotifyPayload? FindErrorNotify()
    {
        foreach (var p in Payloads)
            if (p is NotifyPayload { IsError: true } n)
                return n;
        return null;
    }

    /// <summary>
    /// Parses a datagram (without the RFC 3948 non-ESP marker). Fails with the Notify error to report —
    /// INVALID_MAJOR_VERSION, INVALID_SYNTAX, UNSUPPORTED_CRITICAL_PAYLOAD — and never throws on bad input.
    /// Read the header alone with <see cref="IkeHeader.TryRead"/> to address an error answer.
    /// The message keeps referring to <paramref name="datagram"/> (<see cref="RawBytes"/>, the SK body): hand in
    /// memory that is not reused for the next receive, e.g. a copy of a pooled buffer.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> datagram, out IkeMessage? message, out IkeError error)
    {
        message = null;
        if (!IkeHeader.TryRead(datagram.Span, out var header))
        {
            error = IkeError.Syntax($"{datagram.Length} octets is shorter than the IKE header");
            return false;
        }
        if (!header.Verify(datagram.Length, out error))
            return false;
        var payloads = new List<IkePayload>();
        if (!PayloadChain.TryParse(datagram[IkeHeader.Size..], IkeHeader.Size, header.NextPayload, allowEncrypted: true, payloads, out error))
            return false;
        var parsed = new IkeMessage(header, payloads) { RawBytes = datagram };
        var encrypted = payloads.Count > 0 && payloads[^1] is EncryptedPayload or EncryptedFragmentPayload;
        parsed.UnprotectedCount = encrypted ? payloads.Count - 1 : payloads.Count;
        // Unencrypted messages are complete now; encrypted ones are checked after decryption.
        if (!(encrypted ? ExchangeRules.VerifyUnprotected(parsed, out error) : ExchangeRules.Verify(parsed, out error)))
            return false;
        message = parsed;
        return true;
    }

    /// <summary>
    /// RFC 7296 §3.14: checks the ICV, decrypts SK with the peer's keys and parses the inner payloads,
    /// then applies the exchange rules. A failed integrity check yields a <see cref="IkeError.Silent"/> error
    /// (§2.21.2: drop without answer). This message is left unchanged.
    /// </summary>
    public bool TryDecrypt(SkCipher inbound, out IkeMessage? decrypted, out IkeError error)
    {
        decrypted = null;
        if (Encrypted is not { } sk)
        {
            error = IkeError.Syntax("no SK payload to decrypt");
            return false;
        }
        var plaintext = new byte[sk.Body.Length];
        if (!inbound.TryUnprotect(RawBytes.Span, sk.BodyOffset, plaintext, out var length))
        {
            error = IkeError.Integrity("SK payload failed its integrity check");
            return false;
        }
        var ok = TryBuildInner(sk.FirstInnerPayload, plaintext.AsMemory(0, length), out decrypted, out error);
        // The payloads copied what they keep; the decrypted octets (EAP, CP) go.
        CryptographicOperations.ZeroMemory(plaintext);
        return ok;
    }

    /// <summary>Parses decrypted inner payloads (from SK, or reassembled SKF) into the complete message.</summary>
    internal bool TryBuildInner(PayloadType firstInner, ReadOnlyMemory<byte> plaintext, out IkeMessage? decrypted, out IkeError error)
    {
        decrypted = null;
        var unprotected = Payloads.Take(UnprotectedCount).ToList();
        var inner = new List<IkePayload>();
        if (!PayloadChain.TryParse(plaintext, 0, firstInner, allowEncrypted: false, inner, out error))
            return false;
        var result = new IkeMessage(Header, unprotected.Concat(inner))
        {
            RawBytes = RawBytes,
            UnprotectedCount = unprotected.Count,
            IsProtected = true,
        };
        if (!ExchangeRules.Verify(result, out error))
            return false;
        decrypted = result;
        return true;
    }

    /// <summary>Encodes without encryption (IKE_SA_INIT, or unprotected error notifications §2.21.1).</summary>
    public byte[] Encode()
    {
        var length = IkeHeader.Size + PayloadChain.GetLength(Payloads);
        var buffer = new byte[length];
        (Header with { NextPayload = PayloadChain.FirstType(Payloads), Length = (uint)length }).Write(buffer);
        PayloadChain.Write(Payloads, buffer.AsSpan(IkeHeader.Size));
        RawBytes = buffer;
        return buffer;
    }

    /// <summary>
    /// Encodes with every payload inside one SK payload protected by <paramref name="outbound"/>
    /// (§3.14: SK's Next Payload names the first inner payload; an empty SK is a liveness check).
    /// </summary>
    public byte[] Encode(SkCipher outbound)
    {
        var innerLength = PayloadChain.GetLength(Payloads);
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(innerLength, 1));
        try
        {
            var inner = rented.AsSpan(0, innerLength);
            PayloadChain.Write(Payloads, inner);
            var skLength = PayloadHeader.Size + outbound.GetProtectedLength(innerLength);
            var buffer = new byte[IkeHeader.Size + skLength];
            WriteEncryptedHeaders(buffer, PayloadType.Encrypted, PayloadChain.FirstType(Payloads), skLength);
            outbound.Protect(buffer, IkeHeader.Size + PayloadHeader.Size, inner);
            RawBytes = buffer;
            return buffer;
        }
        finally
        {
            // The inner payloads may hold secrets (EAP, CP); don't leave them in the pool.
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, innerLength));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes the IKE header and the generic header of a trailing SK/SKF payload.</summary>
    internal void WriteEncryptedHeaders(Span<byte> buffer, PayloadType encryptedType, PayloadType firstInner, int payloadLength)
    {
        (Header with { NextPayload = encryptedType, Length = (uint)buffer.Length }).Write(buffer);
        new PayloadHeader(firstInner, false, checked((ushort)payloadLength)).Write(buffer[IkeHeader.Size..]);
    }

    /// <summary>charon's log line: "IKE_AUTH request 1 [ IDi N(INITIAL_CONTACT) IDr … ]".</summary>
    public override string ToString() =>
        $"{Header.Exchange.IanaName()} {(IsResponse ? "response" : "request")} {MessageId} [ {string.Join(' ', Payloads.Select(p => p.Summary))} ]";
}
