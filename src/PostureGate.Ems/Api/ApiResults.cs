// Store outcomes to HTTP: every failure is an RFC 7807 problem with a reason; nothing was stored.
using Microsoft.AspNetCore.Http;
using PostureGate.Ems.Model;

namespace PostureGate.Ems.Api;

internal static class ApiResults
{
    public static IResult From(EmsResult result) => result.Outcome switch
    {
        EmsOutcome.Ok => TypedResults.Ok(new VersionResponse(result.Version, true)),
        EmsOutcome.Unchanged => TypedResults.Ok(new VersionResponse(result.Version, false)),
        _ => Problem(result),
    };

    public static IResult Problem(EmsResult result) => result.Outcome switch
    {
        EmsOutcome.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", result.Detail),
        EmsOutcome.Conflict => Problem(StatusCodes.Status409Conflict, "Conflict", result.Detail),
        EmsOutcome.Forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", result.Detail),
        _ => BadRequest(result.Detail),
    };

    public static IResult BadRequest(string? detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
