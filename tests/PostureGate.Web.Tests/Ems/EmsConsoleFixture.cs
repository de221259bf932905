// One `pgate ems` for a test class, with three enrolled endpoints (one whose host name is markup) and a
// read-only admin; Chromium beside it.
using PostureGate.Web.Tests.Browser;

namespace PostureGate.Web.Tests.Ems;

public sealed class EmsConsoleFixture : IAsyncLifetime
{
    public const string AliceUid = "A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1";
    public const string BobUid = "B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0B0";
    public const string HostileUid = "C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3C3";
    public const string HostileHost = "<script>document.title='owned'</script><img src=x onerror=alert(1)>";
    public const string ReaderName = "auditor";
    public const string ReaderPassword = "read only password 1";
    public const string LockeeName = "lockee";
    public const string LockeePassword = "lockee password 1";

    private EmsConsoleProcess? _ems;

    public ChromiumFixture Chromium { get; } = new();

    public EmsConsoleProcess Ems => _ems ?? throw new InvalidOperationException("the EMS did not start");

    public async Task InitializeAsync()
    {
        // Without chromium the tests skip (or fail under PG_REQUIRE_NETNS=1) in NewPageAsync; no EMS is needed then.
        if (!File.Exists(BrowserRequirements.Chromium))
            return;
        _ems = await EmsConsoleProcess.StartAsync();
        await _ems.EnrollAsync(AliceUid, "alice-laptop", "alice", "198.51.100.11", new { av = new { running = true }, os = new { build = 19045 } });
        await _ems.EnrollAsync(BobUid, "bob-desktop", "bob", "198.51.100.12", new { av = new { running = false }, os = new { build = 17763 } });
        await _ems.EnrollAsync(HostileUid, HostileHost, "mallory", "198.51.100.13");
        await _ems.AddAdminAsync(ReaderName, "read-only", ReaderPassword);
        await _ems.AddAdminAsync(LockeeName, "read-write", LockeePassword);
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        if (_ems is not null)
            await _ems.DisposeAsync();
    }
}
