using PostureGate.Config;
using PostureGate.Proposals;

namespace PostureGate.Interop.Tests.Pgate;

public sealed class PgateLabConfigTests
{
    // harness/conf/pgate-lab.conf: the dial-up tunnel of the interop brief (FortiOS CLI) plus user
    // bob for the wrong-password conn, written out for runs by hand.  The builder's defaults must
    // produce exactly this text, so the file and the tests never drift apart.
    private static readonly string Expected =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "harness", "conf", "pgate-lab.conf"));

    [Fact]
    public void Defaults_AreTheBriefsDialupTunnel_AsInTheHarnessFile()
    {
        Assert.Equal(Expected, new PgateLabConfig().ToString());
        Assert.Contains("set proposal aes128-sha256 aes256gcm-prfsha384 chacha20poly1305-prfsha256\n", Expected);
        Assert.Contains("set dhgrp 14 19 20 21 31\n", Expected);
    }

    [Fact]
    public void DenyVariant_ChangesOnlyThePolicyAction()
    {
        var deny = new PgateLabConfig { PolicyAction = "deny" }.ToString();

        Assert.Equal(Expected.Replace("set action accept", "set action deny"), deny);
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("deny")]
    public void Text_PassesPgatesOwnConfigCheck_WithoutWarnings(string action)
    {
        var result = ConfigLoader.Parse(new PgateLabConfig { PolicyAction = action }.ToString(), "interop-lab.conf");

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void EveryProposalAndGroup_IsInTheFortiOsTable()
    {
        var c = new PgateLabConfig();

        Assert.All(c.Phase1Proposals, p => Assert.True(FortiOsProposals.TryGetPhase1(p, out _), p));
        Assert.All(c.Phase2Proposals, p => Assert.True(FortiOsProposals.TryGetPhase2(p, out _), p));
        Assert.All(c.DhGroups, g => Assert.True(FortiOsProposals.TryGetDhGroup(g.ToString(), out _), g.ToString()));
    }
}
