// Declares the API-key scheme in the OpenAPI description, and which routes need it.
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PostureGate.Ems.Api;

internal static class OpenApiSecurity
{
    private const string Scheme = "apiKey";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "PostureGate EMS";
            document.Info.Description = "Endpoint management server: posture tags, ZTNA tokens, gateway sync. "
                + "Gateway and admin routes need `Authorization: Bearer <api key>`; enrollment needs an invitation code; "
                + "every other client route needs the endpoint certificate enrollment gave (mutual TLS) and acts on that endpoint only.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "gateway key (gateway routes) or admin key (all routes); `pgate ems apikey` shows them",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var path = "/" + context.Description.RelativePath;
            if (path.StartsWith("/api/v1/gateway/", StringComparison.Ordinal) || path.StartsWith("/api/v1/admin/", StringComparison.Ordinal))
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }];
            return Task.CompletedTask;
        });
    }
}
