namespace PostureGate.Posture.Tests.Ems;

public class ServerSentEventReaderTests
{
    private static List<ServerSentEvent> Feed(params string[] lines)
    {
        var reader = new ServerSentEventReader();
        return [.. lines.Select(reader.Feed).OfType<ServerSentEvent>()];
    }

    [Fact]
    public void EventWithIdKindAndData_IsDispatchedOnTheBlankLine()
    {
        // The PostureGate EMS's format: `id:` version, `event:` kind, one `data:` line of JSON.
        var events = Feed("retry: 2000", ": version 7", "", "id: 8", "event: endpoint.updated", "data: {\"version\":8}", "");
        var e = Assert.Single(events);
        Assert.Equal("8", e.Id);
        Assert.Equal("endpoint.updated", e.Event);
        Assert.Equal("{\"version\":8}", e.Data);
    }

    [Fact]
    public void MultipleDataLines_AreJoinedWithLf_CommentsIgnored()
    {
        var e = Assert.Single(Feed("data:a", ": keep-alive", "data: b", "unknown: x", ""));
        Assert.Equal("a\nb", e.Data);
        Assert.Null(e.Event);
    }

    [Fact]
    public void BlankLineWithoutData_DispatchesNothing_AndResetsTheEventName()
    {
        var events = Feed("event: x", "", "data: y", "");
        Assert.Null(Assert.Single(events).Event);
    }
}
