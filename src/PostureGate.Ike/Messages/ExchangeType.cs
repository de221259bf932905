// RFC 7296 §3.1 "Exchange Type" values.
namespace PostureGate.Ike.Messages;

public enum ExchangeType : byte
{
    IkeSaInit = 34,
    IkeAuth = 35,
    CreateChildSa = 36,
    Informational = 37,
}

public static class ExchangeTypeExtensions
{
    /// <summary>"IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA", "INFORMATIONAL", or the number.</summary>
    public static string IanaName(this ExchangeType exchange) => exchange switch
    {
        ExchangeType.IkeSaInit => "IKE_SA_INIT",
        ExchangeType.IkeAuth => "IKE_AUTH",
        ExchangeType.CreateChildSa => "CREATE_CHILD_SA",
        ExchangeType.Informational => "INFORMATIONAL",
        _ => ((byte)exchange).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
