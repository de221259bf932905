// The real EMS servers, gateway (control plane) and clients of examples/dialup.conf on loopback,
// one lab per test. Tests touching a lab run one at a time: each starts two EMS and a gateway.
using System.Net;
using PostureGate.Cli.Demo;
using PostureGate.Client;

namespace PostureGate.Client.Tests.Support;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    public const string Name = "loopback lab";
}

internal static class Labs
{
    public const string Dialup = "dialup";
    public const string EmsTag = "FCT_EMS_TAG_ph2";
    public static readonly IPAddress DialupFirst = IPAddress.Parse("10.212.134.200");
    public static readonly IPAddress EmsTagFirst = IPAddress.Parse("10.139.1.2");

    public static readonly string Config = FindConfig();

    public static Task<DemoLab> StartAsync() =>
        DemoLab.StartAsync(new DemoLabOptions { ConfigPath = Config }, CancellationToken.None);

    /// <summary>A fresh 32-hex-digit endpoint UID.</summary>
    public static string NewUid() => Guid.NewGuid().ToString("N").ToUpperInvariant();

    /// <summary>Polls until <paramref name="condition"/> holds; false after <paramref name="limit"/> (a generous bound, not a timing claim).</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan limit)
    {
        var until = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > until)
                return false;
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>Registers with the lab's EMS, has <paramref name="tag"/> assigned, and fetches the token carrying it.</summary>
    public static async Task EnrollWithTagAsync(DemoLab lab, ClientSession session, string tunnel, string uid, string tag)
    {
        var ems = lab.EmsOf(tunnel);
        Assert.True(ems.Store.SetTokenSettings(true, null, null).Succeeded);
        await session.EnrollAsync(CancellationToken.None);
        Assert.True(ems.Store.AssignTag(tag, uid).Succeeded);
        await session.RefreshAsync(CancellationToken.None);
        Assert.Contains(tag, session.Status.Tags);
        Assert.NotNull(session.Token);
    }

    private static string FindConfig()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", "dialup.conf");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("examples/dialup.conf not found above " + AppContext.BaseDirectory);
    }
}
