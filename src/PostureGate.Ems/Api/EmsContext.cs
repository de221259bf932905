// What the EMS HTTPS API route handlers share: store, signing keys, token issuer, endpoint CA — PostureGate's own EMS.
using PostureGate.Ems.Enrollment;
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tokens;

namespace PostureGate.Ems.Api;

/// <summary>What the route handlers share (one per running server).</summary>
internal sealed class EmsContext(EmsStore store, SigningKeyRing keys, EndpointCertificateAuthority endpointCa, TimeSpan certificateLifetime,
    string certificateFingerprint, TimeSpan changePollInterval)
{
    public EmsStore Store { get; } = store;
    public SigningKeyRing Keys { get; } = keys;
    public ZtnaTokenIssuer Issuer { get; } = new(keys);
    public EndpointCertificateAuthority EndpointCa { get; } = endpointCa;
    public TimeSpan CertificateLifetime { get; } = certificateLifetime;
    public string CertificateFingerprint { get; } = certificateFingerprint;
    public TimeSpan ChangePollInterval { get; } = changePollInterval;
}
