// The console's stylesheet, embedded in this assembly and served by it (no CDN, no static-files folder to ship).
using Microsoft.AspNetCore.Http;

namespace PostureGate.Web;

internal static class ConsoleAssets
{
    private static readonly Lazy<byte[]> Css = new(() =>
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream("PostureGate.Web.console.css")
            ?? throw new InvalidOperationException("console.css is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Stylesheet(HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Bytes(Css.Value, "text/css; charset=utf-8");
    }
}
