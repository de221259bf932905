using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureGate.Testing;

namespace PostureGate.Posture.Tests.Audit;

public class AuditLoggerTests
{
    [Fact]
    public async Task EachDecision_IsOneJsonLineInThePostureGateAuditCategory()
    {
        using var collector = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(collector).SetMinimumLevel(LogLevel.Trace));
        using var tokens = new TestTokens(connectorId: 1);
        var store = new TagStore();
        store.For(1).Upsert(new EndpointEntry { Uid = TestTokens.SeedUid, Ip = System.Net.IPAddress.Parse("10.0.0.1"), Tags = ["a"] });
        using var gate = new PostureGateKeeper(store, [], new ZtnaTokenVerifier(tokens.Keys), loggerFactory: factory);
        await gate.EvaluateAsync(GateFixture.Request(["EMS1_ZTNA_a"], "10.0.0.1", GateFixture.FctBody(TestTokens.SeedUid, "10.0.0.1"), snCheck: false), CancellationToken.None);

        var audit = Assert.Single(collector.Entries, l => l.Category == PostureGateKeeper.AuditCategory);
        using var doc = JsonDocument.Parse(audit.Message);
        Assert.Equal("deny", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Contains("no fctems entry 1", doc.RootElement.GetProperty("tags")[0].GetProperty("reason").GetString());
    }
}
