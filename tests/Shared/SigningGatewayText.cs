// The FortiOS configuration text of a dial-up gateway that signs with a certificate (phase1
// `authmethod signature`) while its users do EAP, for the Config, Gateway and Cli certificate
// tests; shared by the test projects as a linked source file.
namespace PostureGate.Testing;

internal static class SigningGatewayText
{
    /// <summary>A PEM block as one quoted FortiOS value.</summary>
    public static string Pem(string pem) => "\"" + pem.TrimEnd('\n') + "\"";

    /// <summary>port1 at 192.0.2.4/24, the interface the gateway listens on.</summary>
    public const string Port1 = """
        config system interface
            edit "port1"
                set ip 192.0.2.4 255.255.255.0
            next
        end
        """;

    /// <summary>The user "alice" (password "alice-password") in the group "users".</summary>
    public const string Users = """
        config user local
            edit "alice"
                set type password
                set passwd "alice-password"
            next
        end
        config user group
            edit "users"
                set member "alice"
            next
        end
        """;

    /// <summary>
    /// phase1 "dialup" on port1 signing with <paramref name="certificates"/> (quoted names), EAP for the users;
    /// <paramref name="extra"/> is appended to the edit block ("\n        set …" lines).
    /// </summary>
    public static string Phase1(string certificates, string extra = "") => $$"""
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "port1"
                set ike-version 2
                set authmethod signature
                set certificate {{certificates}}
                set eap enable
                set authusrgrp "users"{{extra}}
            next
        end
        """;
}
