using PostureGate.Config;
using PostureGate.Proposals;

namespace PostureGate.Interop.Tests.Pgate;

public sealed class PgateLabConfigTests
{
    // The dial-up tunnel of the interop brief (FortiOS CLI), plus user bob for the wrong-password
    // conn: the builder's defaults must produce exactly this.
    private const string Expected = """
        config system interface
            edit "pgg0"
                set ip 198.51.100.1 255.255.255.0
            next
            edit "pgg1"
                set ip 203.0.113.1 255.255.255.0
            next
        end
        config system dns
            set primary 203.0.113.53
        end
        config user local
            edit "alice"
                set type password
                set passwd "alice-lab-password"
            next
            edit "bob"
                set type password
                set passwd "bob-lab-password"
            next
        end
        config user group
            edit "vpn-users"
                set member "alice" "bob"
            next
        end
        config firewall address
            edit "lab_lan"
                set subnet 203.0.113.0 255.255.255.0
            next
        end
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "pgg0"
                set ike-version 2
                set peertype any
                set net-device disable
                set mode-cfg enable
                set proposal aes128-sha256 aes256gcm-prfsha384 chacha20poly1305-prfsha256
                set dhgrp 14 19 20 21 31
                set eap enable
                set eap-identity send-request
                set authusrgrp "vpn-users"
                set localid "gw.pg.example"
                set ipv4-start-ip 192.0.2.200
                set ipv4-end-ip 192.0.2.254
                set dns-mode auto
                set ipv4-split-include "lab_lan"
                set psksecret "lab-psk-not-a-secret"
            next
        end
        config vpn ipsec phase2-interface
            edit "dialup"
                set phase1name "dialup"
                set proposal aes128-sha256 aes256gcm chacha20poly1305
            next
        end
        config firewall policy
            edit 1
                set name "vpn-to-lan"
                set srcintf "dialup"
                set dstintf "pgg1"
                set srcaddr "all"
                set dstaddr "lab_lan"
                set action accept
                set schedule "always"
                set service "ALL"
            next
        end

        """;

    [Fact]
    public void Defaults_AreTheBriefsDialupTunnel()
    {
        Assert.Equal(Expected, new PgateLabConfig().ToString());
    }

    [Fact]
    public void HarnessCopy_ForRunsByHand_IsTheDefaultText()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "harness", "conf", "pgate-lab.conf");

        Assert.Equal(new PgateLabConfig().ToString(), File.ReadAllText(file));
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
