// Which payloads each exchange may carry, as data (strongSwan encoding/message.c
// keeps the same tables). Sources: RFC 7296 §1.2-§1.5 (IKE_SA_INIT, IKE_AUTH,
// CREATE_CHILD_SA, INFORMATIONAL), §2.16 (EAP: IKE_AUTH without AUTH), §3.15 (CP),
// RFC 4739 (several AUTH rounds) and the strongSwan 5.9.8 initiator messages in
// interop-lab/INITIATOR-MESSAGES.md. Minimums that depend on the round (IDi only
// in the first IKE_AUTH) are the state machine's to check.
using PostureGate.Ike.Messages.Payloads;

namespace PostureGate.Ike.Messages;

/// <summary>How often a payload type may appear, and whether it must be inside SK.</summary>
public readonly record struct PayloadRule(PayloadType Type, int Min, int Max, bool MustBeEncrypted);

/// <summary>The rules of one (exchange, request/response) pair.</summary>
public sealed record ExchangeRule(ExchangeType Exchange, bool IsResponse, bool Encrypted, IReadOnlyList<PayloadRule> Payloads);

public static class ExchangeRules
{
    private const int Many = int.MaxValue;

    private static PayloadRule P(PayloadType type, int min, int max, bool encrypted = true) => new(type, min, max, encrypted);

    // IKE_SA_INIT travels in clear (§1.2). A response may be a bare N(COOKIE), N(INVALID_KE_PAYLOAD)
    // or N(NO_PROPOSAL_CHOSEN), so its SA/KE/Nonce are optional here.
    private static readonly PayloadRule[] IkeSaInitRequest =
    [
        P(PayloadType.SecurityAssociation, 1, 1, false), P(PayloadType.KeyExchange, 1, 1, false),
        P(PayloadType.Nonce, 1, 1, false), P(PayloadType.Notify, 0, Many, false), P(PayloadType.VendorId, 0, Many, false),
    ];

    private static readonly PayloadRule[] IkeSaInitResponse =
    [
        P(PayloadType.SecurityAssociation, 0, 1, false), P(PayloadType.KeyExchange, 0, 1, false),
        P(PayloadType.Nonce, 0, 1, false), P(PayloadType.CertificateRequest, 0, Many, false),
        P(PayloadType.Notify, 0, Many, false), P(PayloadType.VendorId, 0, Many, false),
    ];

    // IKE_AUTH (§1.2, §2.16): the first request has IDi [CERT] [CERTREQ] [IDr] [AUTH] [CP] SA TSi TSr; with EAP
    // AUTH is left out and later rounds carry only EAP, then AUTH. Hence everything is optional.
    private static readonly PayloadRule[] IkeAuthRequest =
    [
        P(PayloadType.IdInitiator, 0, 1), P(PayloadType.Certificate, 0, 4), P(PayloadType.CertificateRequest, 0, Many),
        P(PayloadType.IdResponder, 0, 1), P(PayloadType.Authentication, 0, 1), P(PayloadType.Eap, 0, 1),
        P(PayloadType.Configuration, 0, 1), P(PayloadType.SecurityAssociation, 0, 1),
        P(PayloadType.TrafficSelectorInitiator, 0, 1), P(PayloadType.TrafficSelectorResponder, 0, 1),
        P(PayloadType.Notify, 0, Many), P(PayloadType.VendorId, 0, Many),
    ];

    private static readonly PayloadRule[] IkeAuthResponse =
    [
        P(PayloadType.IdResponder, 0, 1), P(PayloadType.Certificate, 0, 4), P(PayloadType.Authentication, 0, 1),
        P(PayloadType.Eap, 0, 1), P(PayloadType.Configuration, 0, 1), P(PayloadType.SecurityAssociation, 0, 1),
        P(PayloadType.TrafficSelectorInitiator, 0, 1), P(PayloadType.TrafficSelectorResponder, 0, 1),
        P(PayloadType.Notify, 0, Many), P(PayloadType.VendorId, 0, Many),
    ];

    // CREATE_CHILD_SA (§1.3): request SA Ni [KEi] [TSi TSr]; the response may be a bare error notify.
    private static readonly PayloadRule[] CreateChildSaRequest =
    [
        P(PayloadType.SecurityAssociation, 1, 1), P(PayloadType.Nonce, 1, 1), P(PayloadType.KeyExchange, 0, 1),
        P(PayloadType.TrafficSelectorInitiator, 0, 1), P(PayloadType.TrafficSelectorResponder, 0, 1),
        P(PayloadType.Notify, 0, Many), P(PayloadType.VendorId, 0, Many),
    ];

    private static readonly PayloadRule[] CreateChildSaResponse =
    [
        P(PayloadType.SecurityAssociation, 0, 1), P(PayloadType.Nonce, 0, 1), P(PayloadType.KeyExchange, 0, 1),
        P(PayloadType.TrafficSelectorInitiator, 0, 1), P(PayloadType.TrafficSelectorResponder, 0, 1),
        P(PayloadType.Notify, 0, Many), P(PayloadType.VendorId, 0, Many),
    ];

    // INFORMATIONAL (§1.4): [N] [D] [CP]; an empty one is the liveness check (§1.4, DPD).
    private static readonly PayloadRule[] Informational =
    [
        P(PayloadType.Notify, 0, Many), P(PayloadType.Delete, 0, Many), P(PayloadType.Configuration, 0, 1),
        P(PayloadType.VendorId, 0, Many),
    ];

    /// <summary>Every table, one per exchange and direction.</summary>
    public static IReadOnlyList<ExchangeRule> All { get; } =
    [
        new(ExchangeType.IkeSaInit, false, false, IkeSaInitRequest),
        new(ExchangeType.IkeSaInit, true, false, IkeSaInitResponse),
        new(ExchangeType.IkeAuth, false, true, IkeAuthRequest),
        new(ExchangeType.IkeAuth, true, true, IkeAuthResponse),
        new(ExchangeType.CreateChildSa, false, true, CreateChildSaRequest),
        new(ExchangeType.CreateChildSa, true, true, CreateChildSaResponse),
        new(ExchangeType.Informational, false, true, Informational),
        new(ExchangeType.Informational, true, true, Informational),
    ];

    public static ExchangeRule? Find(ExchangeType exchange, bool isResponse)
    {
        // Once per message: a loop, not a closure and an enumerator.
        var all = All;
        for (var i = 0; i < all.Count; i++)
            if (all[i].Exchange == exchange && all[i].IsResponse == isResponse)
                return all[i];
        return null;
    }

    /// <summary>
    /// Checks a complete (unencrypted or decrypted) message against its table. Returns the Notify error to send
    /// — INVALID_SYNTAX for a payload that is not allowed, repeated too often, missing, or not encrypted.
    /// Unknown non-critical payloads are ignored (§2.5). A response with an error notify may omit the required
    /// payloads (it reports why they are missing); a request never may — error notifies answer requests
    /// (§2.21), so one in a request explains nothing and the state machine relies on the minimums.
    /// </summary>
    public static bool Verify(IkeMessage message, out IkeError error)
    {
        if (!TryGetRule(message, out var rule, out error))
            return false;
        // §1.2 and §3.14: all exchanges after IKE_SA_INIT are protected.
        if (rule.Encrypted && !message.IsProtected)
        {
            error = IkeError.Syntax($"{rule.Exchange} without an SK payload");
            return false;
        }
        Span<int> counts = stackalloc int[rule.Payloads.Count];
        for (var i = 0; i < message.Payloads.Count; i++)
        {
            var payload = message.Payloads[i];
            if (payload is UnknownPayload)
                continue;
            var index = IndexOf(rule, payload.Type);
            if (index < 0)
            {
                error = IkeError.Syntax($"{payload.Type.ShortName()} not allowed in {Describe(rule)}");
                return false;
            }
            if (rule.Payloads[index].MustBeEncrypted && i < message.UnprotectedCount)
            {
                error = IkeError.Syntax($"{payload.Type.ShortName()} outside SK in {Describe(rule)}");
                return false;
            }
            if (++counts[index] > rule.Payloads[index].Max)
            {
                error = IkeError.Syntax($"too many {payload.Type.ShortName()} payloads in {Describe(rule)}");
                return false;
            }
        }
        if (!message.IsResponse || message.FindErrorNotify() is null)
        {
            for (var i = 0; i < rule.Payloads.Count; i++)
            {
                if (counts[i] < rule.Payloads[i].Min)
                {
                    error = IkeError.Syntax($"{rule.Payloads[i].Type.ShortName()} missing in {Describe(rule)}");
                    return false;
                }
            }
        }
        error = default;
        return true;
    }

    /// <summary>The part checkable before decryption: payloads in front of SK/SKF must be allowed in clear.</summary>
    internal static bool VerifyUnprotected(IkeMessage message, out IkeError error)
    {
        if (!TryGetRule(message, out var rule, out error))
            return false;
        if (!rule.Encrypted)
        {
            error = IkeError.Syntax($"{message.Payloads[^1].Type.ShortName()} in {Describe(rule)}");
            return false;
        }
        for (var i = 0; i < message.UnprotectedCount; i++)
        {
            var payload = message.Payloads[i];
            if (payload is UnknownPayload)
                continue;
            var index = IndexOf(rule, payload.Type);
            if (index < 0 || rule.Payloads[index].MustBeEncrypted)
            {
                error = IkeError.Syntax($"{payload.Type.ShortName()} outside SK in {Describe(rule)}");
                return false;
            }
        }
        error = default;
        return true;
    }

    private static bool TryGetRule(IkeMessage message, out ExchangeRule rule, out IkeError error)
    {
        rule = Find(message.Exchange, message.IsResponse)!;
        if (rule is null)
        {
            error = IkeError.Syntax($"unsupported exchange type {(byte)message.Exchange}");
            return false;
        }
        error = default;
        return true;
    }

    private static int IndexOf(ExchangeRule rule, PayloadType type)
    {
        for (var i = 0; i < rule.Payloads.Count; i++)
            if (rule.Payloads[i].Type == type)
                return i;
        return -1;
    }

    private static string Describe(ExchangeRule rule) => $"{rule.Exchange.IanaName()} {(rule.IsResponse ? "response" : "request")}";
}
