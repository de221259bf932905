// FortiOS CLI reference, `config system global`: admin-sport and admin-server-cert, the gateway's admin console (off unless admin-sport is set).
namespace PostureGate.Config.Model;

/// <summary>
/// <c>config system global</c>: the HTTPS admin console. <see cref="AdminSport"/> null means
/// no console (FortiOS's is always on at 443; see Schema/SystemSchemas.cs).
/// </summary>
public sealed record SystemGlobal : ConfigObject
{
    /// <summary>The console's TCP port; null: no admin listener.</summary>
    public int? AdminSport { get; init; }
    /// <summary>The certificate the console presents; null: a self-signed one made at first start.</summary>
    public LocalCertificate? AdminServerCert { get; init; }

    public bool AdminConsole => AdminSport is not null;
}
