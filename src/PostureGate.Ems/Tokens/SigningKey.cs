// One RSA-2048 ZTNA token-signing key (JWS RS256, RFC 7518 §3.3) with its kid and rotation times — PostureGate's own EMS.
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace PostureGate.Ems.Tokens;

/// <summary>One RSA-2048 token-signing key. Retired keys stay published until
/// <see cref="PublishUntil"/>, when the last token they signed has expired.</summary>
internal sealed class SigningKey : IDisposable
{
    public SigningKey(string kid, RSA rsa, long createdAt, long? retiredAt, long? publishUntil)
    {
        Kid = kid;
        Rsa = rsa;
        CreatedAt = createdAt;
        RetiredAt = retiredAt;
        PublishUntil = publishUntil;
        Credentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256);
    }

    public string Kid { get; }
    public RSA Rsa { get; }
    public long CreatedAt { get; }
    public long? RetiredAt { get; }
    public long? PublishUntil { get; }
    public SigningCredentials Credentials { get; }

    public bool IsActive => RetiredAt is null;

    public void Dispose() => Rsa.Dispose();
}
