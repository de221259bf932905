using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PostureGate.Config;
using PostureGate.Gateway.Composition;
using PostureGate.Ike.Config;
using PostureGate.Ike.Sa;

namespace PostureGate.Gateway.Tests.Composition;

public class PostureCompositionTests
{
    private const string Config = """
        config system interface
            edit "port1"
                set ip 192.0.2.4 255.255.255.0
            next
        end
        config user local
            edit "alice"
                set type password
                set passwd "pw"
            next
        end
        config user group
            edit "g"
                set member "alice"
            next
        end
        config endpoint-control fctems
            edit 1
                set name "ems1"
                set server "127.0.0.1"
                set https-port 9
                set call-timeout 1
                set certificate-fingerprint "00:11"
                set api-key "k"
            next
        end
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "port1"
                set ike-version 2
                set mode-cfg enable
                set eap enable
                set authusrgrp "g"
                set ipv4-start-ip 10.0.0.1
                set ipv4-end-ip 10.0.0.9
                set remote-gw-match ztna
                set remote-gw-ztna-tags "EMS1_ZTNA_ok"
                set psksecret "psk"
            next
        end
        """;

    [Fact]
    public async Task A_peer_without_FortiClient_notifies_is_refused_for_its_missing_uid_not_as_a_malformed_notify()
    {
        var loaded = ConfigLoader.Parse(Config, "t.conf");
        Assert.True(loaded.Success, string.Join('\n', loaded.Diagnostics));
        await using var posture = new PostureComposition(loaded.Config!, NullLoggerFactory.Instance, TimeProvider.System);
        var lines = new List<string>();
        var context = new PostAuthenticationContext("dialup", "dialup_0", 1, new IPEndPoint(IPAddress.Parse("198.51.100.2"), 4500),
            IkeIdentity.Fqdn("alice"), "alice", [], [], lines.Add);

        var decision = await posture.OnAuthenticatedAsync(context, CancellationToken.None);

        // What matters is why: no notify at all (not an empty, malformed one), so no UID.
        var deny = Assert.IsType<PostAuthenticationDecision.Deny>(decision);
        Assert.Contains("FortiClient UID missing: no FORTICLIENT_CONNECT", deny.Reason);
        Assert.DoesNotContain(lines, l => l.Contains("malformed", StringComparison.Ordinal) || l.Contains("FCT data", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("EMS ZTNA tags check failure", StringComparison.Ordinal));
    }
}
