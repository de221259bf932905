// The seam between the admin listener and the web console's pages: the console adds its services
// (given the running gateway, whose state its pages show) and maps its pages. PostureGate's own.
using Microsoft.AspNetCore.Builder;

namespace PostureGate.Gateway.Admin;

public interface IAdminConsole
{
    void ConfigureServices(WebApplicationBuilder builder, Composition.GatewayHost gateway);

    void MapEndpoints(WebApplication app);
}
