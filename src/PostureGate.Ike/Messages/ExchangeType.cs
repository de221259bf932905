// RFC 7296 §3.1 "Exchange Type" values.
namespace PostureGate.Ike.Messages;

public enum ExchangeType : byte
{
    IkeSaInit = 34,
    IkeAuth = 35,
    CreateChildSa = 36,
    Informational = 37,
}
