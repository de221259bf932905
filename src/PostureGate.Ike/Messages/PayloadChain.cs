// RFC 7296 §3.2: payloads are chained by the Next Payload field of the
// previous header (the IKE header names the first). This file walks and writes
// such a chain; IkeMessage uses it for the outer chain and, after decryption,
// for the payloads inside SK / SKF.
using System.Buffers.Binary;
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Messages;

internal static class PayloadChain
{
    /// <summary>
    /// Parses the chain in <paramref name="chain"/> (located at <paramref name="chainOffset"/> in the
    /// message, for the SK bookkeeping). SK and SKF end the chain and are only accepted when
    /// <paramref name="allowEncrypted"/> (they never nest).
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> chain, int chainOffset, PayloadType first, bool allowEncrypted,
        List<IkePayload> payloads, out IkeError error)
    {
        var next = first;
        var offset = 0;
        var span = chain.Span;
        while (next != PayloadType.NoNextPayload)
        {
            var type = next;
            // §3.2: each payload starts with the 4-octet generic header, and its length covers it.
            if (!PayloadHeader.TryRead(span[offset..], out var header))
            {
                error = IkeError.Syntax($"{type.ShortName()}: generic payload header truncated");
                return false;
            }
            if (header.Length < PayloadHeader.Size || header.Length > span.Length - offset)
            {
                error = IkeError.Syntax($"{type.ShortName()}: payload length {header.Length} beyond message");
                return false;
            }
            var bodyOffset = offset + PayloadHeader.Size;
            var body = chain.Slice(bodyOffset, header.Length - PayloadHeader.Size);
            offset += header.Length;
            next = header.NextPayload;

            if (type is PayloadType.Encrypted or PayloadType.EncryptedFragment)
            {
                if (!allowEncrypted)
                {
                    error = IkeError.Syntax($"{type.ShortName()} inside an encrypted payload");
                    return false;
                }
                // §3.14, RFC 7383 §2.5: the encrypted payload is last; its Next Payload is the first inner type.
                if (offset != span.Length)
                {
                    error = IkeError.Syntax($"{type.ShortName()} is not the last payload");
                    return false;
                }
                if (!TryParseEncrypted(type, header.NextPayload, body, chainOffset + bodyOffset, out var encrypted, out error))
                    return false;
                payloads.Add(encrypted!);
                return true;
            }

            if (!type.IsKnown())
            {
                // §2.5: an unknown payload with the critical bit set rejects the whole message.
                if (header.Critical)
                {
                    error = IkeError.UnsupportedCritical((byte)type);
                    return false;
                }
                payloads.Add(new UnknownPayload(type, body.ToArray()));
                continue;
            }
            if (!TryParseBody(type, body.Span, out var payload, out error) || !payload!.Verify(out error))
                return false;
            payloads.Add(payload);
        }
        // §3.1: the header Length counts every octet; data after the last payload is malformed.
        if (offset != span.Length)
        {
            error = IkeError.Syntax($"{span.Length - offset} octets after the last payload");
            return false;
        }
        error = default;
        return true;
    }

    private static bool TryParseEncrypted(PayloadType type, PayloadType firstInner, ReadOnlyMemory<byte> body, int bodyOffset,
        out IkePayload? payload, out IkeError error)
    {
        payload = null;
        if (type == PayloadType.Encrypted)
        {
            payload = new EncryptedPayload(firstInner, body, bodyOffset);
            error = default;
            return true;
        }
        if (body.Length < EncryptedFragmentPayload.FragmentHeaderSize)
        {
            error = IkeError.Syntax("SKF: too short");
            return false;
        }
        var span = body.Span;
        var fragment = new EncryptedFragmentPayload(firstInner, BinaryPrimitives.ReadUInt16BigEndian(span),
            BinaryPrimitives.ReadUInt16BigEndian(span[2..]), body[EncryptedFragmentPayload.FragmentHeaderSize..],
            bodyOffset + EncryptedFragmentPayload.FragmentHeaderSize);
        if (!fragment.Verify(out error))
            return false;
        payload = fragment;
        return true;
    }

    /// <summary>The per-type body parsers (the body excludes the generic header).</summary>
    public static bool TryParseBody(PayloadType type, ReadOnlySpan<byte> body, out IkePayload? payload, out IkeError error)
    {
        bool ok;
        switch (type)
        {
            case PayloadType.SecurityAssociation: ok = SaPayload.TryParse(body, out var sa, out error); payload = sa; break;
            case PayloadType.KeyExchange: ok = KePayload.TryParse(body, out var ke, out error); payload = ke; break;
            case PayloadType.IdInitiator or PayloadType.IdResponder: ok = IdPayload.TryParse(type, body, out var id, out error); payload = id; break;
            case PayloadType.Certificate: ok = CertPayload.TryParse(body, out var cert, out error); payload = cert; break;
            case PayloadType.CertificateRequest: ok = CertReqPayload.TryParse(body, out var req, out error); payload = req; break;
            case PayloadType.Authentication: ok = AuthPayload.TryParse(body, out var auth, out error); payload = auth; break;
            case PayloadType.Nonce: ok = NoncePayload.TryParse(body, out var nonce, out error); payload = nonce; break;
            case PayloadType.Notify: ok = NotifyPayload.TryParse(body, out var notify, out error); payload = notify; break;
            case PayloadType.Delete: ok = DeletePayload.TryParse(body, out var delete, out error); payload = delete; break;
            case PayloadType.VendorId: ok = VendorIdPayload.TryParse(body, out var vid, out error); payload = vid; break;
            case PayloadType.TrafficSelectorInitiator or PayloadType.TrafficSelectorResponder: ok = TsPayload.TryParse(type, body, out var ts, out error); payload = ts; break;
            case PayloadType.Configuration: ok = ConfigPayload.TryParse(body, out var cp, out error); payload = cp; break;
            case PayloadType.Eap: ok = EapPayload.TryParse(body, out var eap, out error); payload = eap; break;
            default:
                payload = null;
                error = IkeError.Syntax($"no parser for payload type {(byte)type}");
                return false;
        }
        return ok;
    }

    /// <summary>Octets the chain takes on the wire (generic headers included).</summary>
    public static int GetLength(IReadOnlyList<IkePayload> payloads)
    {
        var length = 0;
        foreach (var p in payloads)
            length += PayloadHeader.Size + p.BodyLength;
        return length;
    }

    /// <summary>Writes the chain; the last payload's Next Payload is <paramref name="last"/> (SK chains end with 0).</summary>
    public static int Write(IReadOnlyList<IkePayload> payloads, Span<byte> destination, PayloadType last = PayloadType.NoNextPayload)
    {
        var offset = 0;
        for (var i = 0; i < payloads.Count; i++)
        {
            var p = payloads[i];
            var length = PayloadHeader.Size + p.BodyLength;
            if (length > ushort.MaxValue)
                throw new InvalidOperationException($"{p.Type.ShortName()} payload longer than 65535 octets");
            var next = i + 1 < payloads.Count ? payloads[i + 1].Type : last;
            new PayloadHeader(next, false, (ushort)length).Write(destination[offset..]);
            p.WriteBody(destination.Slice(offset + PayloadHeader.Size, p.BodyLength));
            offset += length;
        }
        return offset;
    }

    public static PayloadType FirstType(IReadOnlyList<IkePayload> payloads) =>
        payloads.Count > 0 ? payloads[0].Type : PayloadType.NoNextPayload;
}
