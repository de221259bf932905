// config vpn certificate ca / vpn certificate local: certificates and keys as PEM in
// multi-line quoted strings, the way a FortiOS backup holds them. Attributes and
// defaults: FortiOS 7.4 CLI reference, "config vpn certificate ca" (name up to 79
// characters; ca "CA certificate as a PEM file"; range global|vdom, default vdom;
// source factory|user|bundle, default user) and "config vpn certificate local"
// (name up to 35; certificate; private-key, "PEM format key, encrypted with a
// password"; password). The private key is a secret here: `config show` prints it
// sealed (ENC), as it does every password, so a key written in clear is never echoed.
using PostureGate.Config.Model;

namespace PostureGate.Config.Schema;

internal static class VpnCertificateCaSchema
{
    /// <summary>A PEM certificate is a few kilobytes; this bounds one value, not a chain.</summary>
    public const int MaxPemLength = 16384;

    public static readonly TableSchema Table = new("vpn certificate ca", isTable: true, maxNameLength: 79)
    {
        Note = "One certificate per entry, and it must be a CA (basicConstraints CA). An expired or not yet valid CA is a warning. "
            + "`range` and `source` are accepted as FortiOS writes them and change nothing (PostureGate has one VDOM).",
    };
    public static readonly AttributeSchema Ca = Table.String("ca", maxLength: MaxPemLength);
    public static readonly AttributeSchema Range = Table.Enum("range", CertificateRange.Vdom, "global", "vdom");
    public static readonly AttributeSchema Source = Table.Enum("source", CertificateSource.User, "factory", "user", "bundle");
}

internal static class VpnCertificateLocalSchema
{
    public static readonly TableSchema Table = new("vpn certificate local", isTable: true, maxNameLength: 35)
    {
        Note = "`certificate` and `private-key` are required and the key must belong to the certificate; an encrypted key "
            + "(`-----BEGIN ENCRYPTED PRIVATE KEY-----`) needs `password`. The key is a secret: `config show` prints it as `ENC …`. "
            + "RSA and ECDSA keys are implemented. An expired or not yet valid certificate is a warning.",
    };
    public static readonly AttributeSchema Password = Table.Secret("password");
    public static readonly AttributeSchema PrivateKey = Table.Secret("private-key");
    public static readonly AttributeSchema Certificate = Table.String("certificate", maxLength: VpnCertificateCaSchema.MaxPemLength);
    public static readonly AttributeSchema Range = Table.Enum("range", CertificateRange.Vdom, "global", "vdom");
    public static readonly AttributeSchema Source = Table.Enum("source", CertificateSource.User, "factory", "user", "bundle");
}
