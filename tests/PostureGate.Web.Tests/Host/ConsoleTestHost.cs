// The console base alone on an in-process Kestrel (HTTPS, self-signed), with in-memory accounts and audit
// and one page of its own (Host/TestPage.razor) that reads and changes a value.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PostureGate.Web.Accounts;
using PostureGate.Web.Audit;

namespace PostureGate.Web.Tests.Host;

public sealed class ConsoleTestHost : IAsyncDisposable
{
    public const string WriterName = "writer";
    public const string ReaderName = "reader";
    public const string Password = "correct horse battery";

    private readonly WebApplication _app;

    private ConsoleTestHost(WebApplication app, string url, InMemoryAdminAccountStore accounts, InMemoryConsoleAudit audit, TestValue value)
    {
        _app = app;
        Url = url;
        Accounts = accounts;
        Audit = audit;
        Value = value;
    }

    public string Url { get; }

    public InMemoryAdminAccountStore Accounts { get; }

    public InMemoryConsoleAudit Audit { get; }

    public TestValue Value { get; }

    public static async Task<ConsoleTestHost> StartAsync(int lockoutThreshold = 3, int sourceThreshold = 50)
    {
        var accounts = new InMemoryAdminAccountStore();
        accounts.Add(AdminPasswords.Create(WriterName, Password, AdminRole.ReadWrite, DateTimeOffset.UnixEpoch));
        accounts.Add(AdminPasswords.Create(ReaderName, Password, AdminRole.ReadOnly, DateTimeOffset.UnixEpoch));
        var audit = new InMemoryConsoleAudit();
        var value = new TestValue();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        var certificate = SelfSigned();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        builder.Services.AddSingleton<IAdminAccountStore>(accounts);
        builder.Services.AddSingleton<IConsoleAudit>(audit);
        builder.Services.AddSingleton(value);
        builder.Services.AddPostureGateConsole(o =>
        {
            o.Title = "Test console";
            o.Navigation.Add(new ConsoleLink("Home", ConsolePaths.Home));
            o.PageAssemblies.Add(typeof(ConsoleTestHost).Assembly);
            o.LockoutThreshold = lockoutThreshold;
            o.SourceLockoutThreshold = sourceThreshold;
        });
        var app = builder.Build();
        app.UseRouting();
        app.UsePostureGateConsole();
        app.MapPostureGateConsole();
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new ConsoleTestHost(app, url, accounts, audit, value);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the test page changes: the write the read-only admin must not make.</summary>
public sealed class TestValue
{
    public string Text { get; set; } = "initial";
}
