// A client that is not a browser: posts forms without antiforgery tokens, follows no redirects, accepts the
// self-signed certificates — what a CSRF attacker's or a script's request looks like to the console.
using System.Net;

namespace PostureGate.Web.Tests.Browser;

public sealed class PlainHttp : IDisposable
{
    private readonly HttpClient _client;

    public PlainHttp(string baseUrl)
    {
        Cookies = new CookieContainer();
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = Cookies,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        _client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields)
        => _client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    public void Dispose() => _client.Dispose();
}
