// EAP password guessing against the gateway (issue 12 "Floods"): past the free failures a source
// waits before its next password check — even the right password is refused meanwhile, and costs
// no check — and each refusal is a reported failure with the reason, never an error.
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PostureGate.Ike.Sa;

namespace PostureGate.Ike.Tests.Exchange;

public class PasswordGuessingBackoffTests
{
    private readonly ConcurrentQueue<IkeAuthFailure> _failures = new();

    [Fact]
    public void AfterFiveWrongPasswords_TheSourceWaits_ThenTheRightPasswordWorksAgain()
    {
        using var h = new ExchangeHarness(gatewayOptions: new IkeSaManagerOptions { AuthenticationFailed = _failures.Enqueue });
        for (var i = 0; i < 6; i++)
            Assert.False(h.Connect(ExchangeHarness.Alice() with { EapPassword = $"guess-{i}" }).Success);
        Assert.All(_failures, f => Assert.EndsWith("wrong password", f.Reason, StringComparison.Ordinal));

        // The sixth failure started a 1 s wait: the right password is not even checked now.
        var during = h.Connect();
        Assert.False(during.Success);
        Assert.Equal("EAP authentication refused: too many failed logins from 198.51.100.2 (6): next attempt in 1 s", _failures.Last().Reason);
        Assert.DoesNotContain(h.Gateway.Snapshot(), s => s.Status == "established");

        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(h.Connect().Success);
        Assert.Empty(h.GatewayLog.AtLeast(LogLevel.Error));
    }
}
