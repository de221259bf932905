// IANA "IKEv2 Notify Message Types": RFC 7296 §3.10.1 and the extensions
// strongSwan 5.9.8 sends or understands (RFC 4555 MOBIKE, RFC 4739 multiple
// auth, RFC 5685 redirect, RFC 5998 EAP-only, RFC 6311 message-ID sync,
// RFC 6023 childless, RFC 7383 fragmentation, RFC 7427 signature hashes).
// Values 0..16383 are errors, 16384..65535 status types (§3.10.1); private
// ones (8192..16383, 40960..65535, e.g. FortiClient's) simply pass through as
// numbers, since the enum is a ushort.
namespace PostureGate.Ike.Messages;

public enum NotifyType : ushort
{
    // ---- errors (RFC 7296 §3.10.1 unless noted)
    UnsupportedCriticalPayload = 1,
    InvalidIkeSpi = 4,
    InvalidMajorVersion = 5,
    InvalidSyntax = 7,
    InvalidMessageId = 9,
    InvalidSpi = 11,
    NoProposalChosen = 14,
    InvalidKePayload = 17,
    AuthenticationFailed = 24,
    SinglePairRequired = 34,
    NoAdditionalSas = 35,
    InternalAddressFailure = 36,
    FailedCpRequired = 37,
    TsUnacceptable = 38,
    InvalidSelectors = 39,
    UnacceptableAddresses = 40,      // RFC 4555
    UnexpectedNatDetected = 41,      // RFC 4555
    UseAssignedHoA = 42,             // RFC 5026
    TemporaryFailure = 43,
    ChildSaNotFound = 44,
    InvalidGroupId = 45,             // RFC 6407
    AuthorizationFailed = 46,        // RFC 6407
    StateNotFound = 47,              // RFC 8019

    // ---- status types
    InitialContact = 16384,
    SetWindowSize = 16385,
    AdditionalTsPossible = 16386,
    IpcompSupported = 16387,
    NatDetectionSourceIp = 16388,
    NatDetectionDestinationIp = 16389,
    Cookie = 16390,
    UseTransportMode = 16391,
    HttpCertLookupSupported = 16392,
    RekeySa = 16393,
    EspTfcPaddingNotSupported = 16394,
    NonFirstFragmentsAlso = 16395,
    MobikeSupported = 16396,         // RFC 4555
    AdditionalIp4Address = 16397,    // RFC 4555
    AdditionalIp6Address = 16398,    // RFC 4555
    NoAdditionalAddresses = 16399,   // RFC 4555
    UpdateSaAddresses = 16400,       // RFC 4555
    Cookie2 = 16401,                 // RFC 4555
    NoNatsAllowed = 16402,           // RFC 4555
    AuthLifetime = 16403,            // RFC 4478
    MultipleAuthSupported = 16404,   // RFC 4739
    AnotherAuthFollows = 16405,      // RFC 4739
    RedirectSupported = 16406,       // RFC 5685
    Redirect = 16407,                // RFC 5685
    RedirectedFrom = 16408,          // RFC 5685
    TicketLtOpaque = 16409,          // RFC 5723
    TicketRequest = 16410,           // RFC 5723
    TicketAck = 16411,               // RFC 5723
    TicketNack = 16412,              // RFC 5723
    TicketOpaque = 16413,            // RFC 5723
    LinkId = 16414,                  // RFC 5739
    UseWespMode = 16415,             // RFC 5840
    RohcSupported = 16416,           // RFC 5857
    EapOnlyAuthentication = 16417,   // RFC 5998
    ChildlessIkev2Supported = 16418, // RFC 6023
    QuickCrashDetection = 16419,     // RFC 6290
    Ikev2MessageIdSyncSupported = 16420, // RFC 6311
    IpsecReplayCounterSyncSupported = 16421, // RFC 6311
    Ikev2MessageIdSync = 16422,      // RFC 6311
    IpsecReplayCounterSync = 16423,  // RFC 6311
    SecurePasswordMethods = 16424,   // RFC 6467
    PskPersist = 16425,              // RFC 6631
    PskConfirm = 16426,              // RFC 6631
    ErxSupported = 16427,            // RFC 6867
    IfomCapability = 16428,          // 3GPP TS 24.303
    SenderRequestId = 16429,
    Ikev2FragmentationSupported = 16430, // RFC 7383
    SignatureHashAlgorithms = 16431, // RFC 7427
    CloneIkeSaSupported = 16432,     // RFC 7791
    CloneIkeSa = 16433,              // RFC 7791
    Puzzle = 16434,                  // RFC 8019
    UsePpk = 16435,                  // RFC 8784
    PpkIdentity = 16436,             // RFC 8784
    NoPpkAuth = 16437,               // RFC 8784
    IntermediateExchangeSupported = 16438, // RFC 9242
    Ip4Allowed = 16439,              // RFC 8983
    Ip6Allowed = 16440,              // RFC 8983
    AdditionalKeyExchange = 16441,   // RFC 9370
    UseAggfrag = 16442,              // RFC 9347
}

public static class NotifyTypeExtensions
{
    /// <summary>RFC 7296 §3.10.1: types below 16384 report errors.</summary>
    public static bool IsError(this NotifyType type) => (ushort)type < 16384;

    /// <summary>The IANA name as logs print it ("NAT_DETECTION_SOURCE_IP"), or the number for unknown types.</summary>
    public static string IanaName(this NotifyType type)
    {
        if (!Enum.IsDefined(type))
            return ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var name = type.ToString();
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            // A new word starts at an upper-case letter after a lower-case one or a digit ("Ikev2Fragmentation").
            if (i > 0 && char.IsUpper(c) && !char.IsUpper(name[i - 1]))
                sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}
