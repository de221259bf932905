// The EMS's web console (issue 15) on the EMS's own HTTPS listener, under /console: endpoints, tags and
// rules, invitations, remote access profiles, token settings, audit. Pages are in Console/Pages; the sign-in base is PostureGate.Web.
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PostureGate.Ems.Storage;
using PostureGate.Web;
using PostureGate.Web.Accounts;
using PostureGate.Web.Audit;

namespace PostureGate.Ems.WebConsole;

internal static class EmsConsole
{
    public static void AddServices(IServiceCollection services, EmsStore store, EmsOptions options)
    {
        services.AddSingleton<IAdminAccountStore>(new EmsAdminAccounts(store));
        services.AddSingleton(new OneShotCodes(options.Time));
        services.AddSingleton<IConsoleAudit>(sp => new EmsConsoleAudit(store, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<EmsConsoleAudit>>()));
        services.AddPostureGateConsole(o =>
        {
            o.Title = "PostureGate EMS";
            o.Navigation.Add(new ConsoleLink("Endpoints", ConsolePaths.Home));
            o.Navigation.Add(new ConsoleLink("Tags", "/console/tags"));
            o.Navigation.Add(new ConsoleLink("Invitations", "/console/invitations"));
            o.Navigation.Add(new ConsoleLink("Profiles", "/console/profiles"));
            o.Navigation.Add(new ConsoleLink("Token", "/console/token"));
            o.Navigation.Add(new ConsoleLink("Audit", "/console/audit"));
            o.PageAssemblies.Add(typeof(EmsConsole).Assembly);
            o.LockoutThreshold = options.ConsoleLockoutThreshold;
            o.Time = options.Time;
            o.KeysDirectory = Path.Combine(store.DataDirectory, "console-keys");
        });
    }

    public static void Use(WebApplication app) => app.UsePostureGateConsole();

    public static void Map(WebApplication app) => app.MapPostureGateConsole();
}
