// A ZTNA tag token as the EMS issues it (the JWT FortiClient forwards in the ZTNA_TAG notify; the
// FortiGate admin guide, "Enforcing security posture verification before dial-up VPN connection"):
// the signed compact form and its validity. The gateway's view of a verified token is Posture's ZtnaToken.
namespace PostureGate.Ems.Tokens;

/// <summary>A signed token and its validity (Unix seconds).</summary>
public sealed record SignedZtnaToken(string Token, string Kid, long IssuedAt, long ExpiresAt, long RefreshAt);
