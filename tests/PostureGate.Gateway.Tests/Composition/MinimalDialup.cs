// A dial-up gateway's smallest configuration for host tests: one EAP phase1 on loopback, one user, one pool.
namespace PostureGate.Gateway.Tests.Composition;

internal static class MinimalDialup
{
    public const string Config = """
        config user local
            edit "u"
                set type password
                set passwd "pw"
            next
        end
        config user group
            edit "g"
                set member "u"
            next
        end
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "lo"
                set ike-version 2
                set mode-cfg enable
                set eap enable
                set authusrgrp "g"
                set ipv4-start-ip 10.0.0.1
                set ipv4-end-ip 10.0.0.9
                set psksecret "psk"
            next
        end
        config system interface
            edit "lo"
                set ip 127.0.0.1 255.0.0.0
            next
        end
        """;
}
