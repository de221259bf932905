// RFC 7296 §3.2 "Payload Type Values", plus RFC 7383 §2.5 (Encrypted Fragment).
namespace PostureGate.Ike.Messages;

/// <summary>The "Next Payload" values of the IKEv2 payload chain.</summary>
public enum PayloadType : byte
{
    NoNextPayload = 0,
    SecurityAssociation = 33,
    KeyExchange = 34,
    IdInitiator = 35,
    IdResponder = 36,
    Certificate = 37,
    CertificateRequest = 38,
    Authentication = 39,
    Nonce = 40,
    Notify = 41,
    Delete = 42,
    VendorId = 43,
    TrafficSelectorInitiator = 44,
    TrafficSelectorResponder = 45,
    Encrypted = 46,
    Configuration = 47,
    Eap = 48,
    EncryptedFragment = 53,
}

public static class PayloadTypeExtensions
{
    /// <summary>charon's short notation ("SA", "KE", "No", "N", …) for logs.</summary>
    public static string ShortName(this PayloadType type) => type switch
    {
        PayloadType.SecurityAssociation => "SA",
        PayloadType.KeyExchange => "KE",
        PayloadType.IdInitiator => "IDi",
        PayloadType.IdResponder => "IDr",
        PayloadType.Certificate => "CERT",
        PayloadType.CertificateRequest => "CERTREQ",
        PayloadType.Authentication => "AUTH",
        PayloadType.Nonce => "No",
        PayloadType.Notify => "N",
        PayloadType.Delete => "D",
        PayloadType.VendorId => "V",
        PayloadType.TrafficSelectorInitiator => "TSi",
        PayloadType.TrafficSelectorResponder => "TSr",
        PayloadType.Encrypted => "SK",
        PayloadType.Configuration => "CP",
        PayloadType.Eap => "EAP",
        PayloadType.EncryptedFragment => "SKF",
        _ => ((byte)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Whether this implementation has a parser for the type (§2.5: others are skipped unless critical).</summary>
    public static bool IsKnown(this PayloadType type) =>
        type is >= PayloadType.SecurityAssociation and <= PayloadType.Eap or PayloadType.EncryptedFragment;
}
