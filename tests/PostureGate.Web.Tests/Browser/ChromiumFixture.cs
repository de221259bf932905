// One headless Debian Chromium per test class, driven by Playwright's bundled driver (no browser download).
using Microsoft.Playwright;

namespace PostureGate.Web.Tests.Browser;

/// <summary>
/// Use as an xunit class fixture; each test calls <see cref="NewPageAsync"/> first, which skips or
/// fails (see <see cref="BrowserRequirements"/>) when chromium is missing. Each page has its own
/// browser context: its own cookies, so two pages are two admins. The consoles use self-signed
/// certificates, which the contexts accept. JavaScript is off unless asked for: the console must work without it.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<IBrowserContext> _contexts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task<IPage> NewPageAsync(bool javaScript = false)
    {
        BrowserRequirements.EnsureOrSkip();
        if (_browser is null)
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = BrowserRequirements.Chromium,
                Headless = true,
                // Root in CI: Chromium's sandbox needs user namespaces it may not have there.
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                Timeout = 120_000,
            });
        }
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            JavaScriptEnabled = javaScript,
        });
        // Generous: the CI machine runs builds beside these tests.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        lock (_contexts)
            _contexts.Add(context);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
            await context.DisposeAsync();
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
