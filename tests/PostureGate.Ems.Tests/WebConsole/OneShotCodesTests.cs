// The invitation form's one-shot code map (WebConsole/OneShotCodes.cs): once, to its creator, before it expires.
using PostureGate.Ems.WebConsole;

namespace PostureGate.Ems.Tests.WebConsole;

public class OneShotCodesTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ACode_IsTakenOnce_ByItsCreatorOnly()
    {
        var codes = new OneShotCodes(_time);
        var id = codes.Keep("alice", "pgi_1");

        Assert.Null(codes.Take("bob", id));
        Assert.Null(codes.Take("alice", "0" + id[1..]));
        Assert.Null(codes.Take("alice", null));
        Assert.Equal("pgi_1", codes.Take("alice", id));
        Assert.Null(codes.Take("alice", id));
    }

    [Fact]
    public void ACode_NotTakenInTime_IsGone()
    {
        var codes = new OneShotCodes(_time);
        var id = codes.Keep("alice", "pgi_1");
        _time.Advance(OneShotCodes.Lifetime);
        Assert.Null(codes.Take("alice", id));
    }

    [Fact]
    public void TheMap_IsBounded_TheOldestGoesFirst()
    {
        var codes = new OneShotCodes(_time);
        var first = codes.Keep("alice", "pgi_first");
        _time.Advance(TimeSpan.FromSeconds(1));
        var ids = Enumerable.Range(0, OneShotCodes.MaxWaiting).Select(i => codes.Keep("alice", $"pgi_{i}")).ToList();

        Assert.Null(codes.Take("alice", first));
        Assert.Equal("pgi_0", codes.Take("alice", ids[0]));
        Assert.Equal($"pgi_{OneShotCodes.MaxWaiting - 1}", codes.Take("alice", ids[^1]));
    }
}
