// The gateway's web console on its admin listener (docs/console.md): the shared base of
// PostureGate.Web (sign-in, roles, lock-out, antiforgery, audit) with the gateway's pages —
// status (/console), tunnels, decisions (with posture explain), the VPN wizard — over the
// running gateway's state (Admin/GatewayConsoleState.cs). Accounts: Admin/AdminAccountFile.cs.
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PostureGate.Gateway.Composition;
using PostureGate.Web;
using PostureGate.Web.Accounts;
using PostureGate.Web.Audit;

namespace PostureGate.Gateway.Admin;

public sealed class GatewayConsole(IAdminAccountStore accounts, ILoggerFactory loggers, RecentAuditLines decisions, ConfigReloader reloader,
    Config.Secrets.ConfigKeyFile? configKey, Func<PostureComposition?> posture) : IAdminConsole
{
    public const string Tunnels = "/console/tunnels";
    public const string Decisions = "/console/decisions";
    public const string Explain = "/console/explain";
    public const string Wizard = "/console/wizard";

    /// <summary>In the data directory: the keys protecting the console's cookies.</summary>
    public const string KeysDirectoryName = "console-keys";

    private readonly ConsoleAuditLines _audit = new(loggers);

    public void ConfigureServices(WebApplicationBuilder builder, GatewayHost gateway)
    {
        // The path goes to the log, the password only into the owner-only file.
        if (FirstAdmin.EnsureExists(accounts, gateway.DataDirectory, TimeProvider.System) is { } passwordFile)
            loggers.CreateLogger("PostureGate.Gateway").LogInformation(
                "admin console: first admin '{Name}' (read-write) made; its password is in {File} (owner-only)", FirstAdmin.Name, passwordFile);
        builder.Services.AddSingleton(accounts);
        builder.Services.AddSingleton<IConsoleAudit>(_audit);
        builder.Services.AddSingleton(new GatewayConsoleState(gateway, posture(), decisions, reloader));
        builder.Services.AddSingleton(new WizardKey(configKey));
        builder.Services.AddPostureGateConsole(o =>
        {
            o.Title = "PostureGate gateway";
            o.Navigation.Add(new ConsoleLink("Status", ConsolePaths.Home));
            o.Navigation.Add(new ConsoleLink("Tunnels", Tunnels));
            o.Navigation.Add(new ConsoleLink("Decisions", Decisions));
            o.Navigation.Add(new ConsoleLink("VPN wizard", Wizard));
            o.PageAssemblies.Add(typeof(GatewayConsole).Assembly);
            o.KeysDirectory = Path.Combine(gateway.DataDirectory, KeysDirectoryName);
        });
    }

    public void MapEndpoints(WebApplication app)
    {
        app.UseRouting();
        app.UsePostureGateConsole();
        app.MapPostureGateConsole();
        app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Redirect(ConsolePaths.Home)).AllowAnonymous();
    }
}

/// <summary>The machine's configuration key, which seals the wizard's pre-shared key as `ENC …` in the file.</summary>
public sealed record WizardKey(Config.Secrets.ConfigKeyFile? File);
