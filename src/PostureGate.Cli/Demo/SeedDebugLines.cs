// The ike debug lines the seed document ("Enforcing security posture verification before
// dial-up VPN connection") prints, as it prints them, its "…" elisions kept (the token shortened:
// it is masked anyway). The demo's own lines must contain each excerpt in order (SeedLineComparer).
// Example 1's lines come from tunnels named "DY" and "FCT", names its own configuration does not
// have (its phase1 is "dialup", "DY" its phase2): they stand for that phase1 or one of its
// instances. Example 2's names are its configuration's and compare exactly.
namespace PostureGate.Cli.Demo;

/// <summary>One excerpt: its lines, and the names it uses mapped to the phase1 whose lines they are.</summary>
public sealed record SeedExcerpt(string Title, IReadOnlyList<string> Lines, IReadOnlyDictionary<string, string> PhaseOneOf);

public static class SeedDebugLines
{
    private static readonly Dictionary<string, string> Example1Names = new(StringComparer.Ordinal) { ["DY"] = "dialup", ["FCT"] = "dialup" };

    /// <summary>Example 1, the tag matched: the first IKE_AUTH (FortiClient's notifies in it), then the AUTH after EAP.</summary>
    public static readonly SeedExcerpt Example1Match = new("Example 1: the security posture tag is matched",
    [
        "ike V=root:0:DY:155: received FCT-UID : 6108A9179A5C40D7BD57504E15114C1F",
        "ike V=root:0:DY:155: received EMS SN : FCTEMS***********",
        "ike V=root:0:DY:155: received EMS tenant ID : *************1EDB589FBC4626",
        "ike V=root:0:DY:155: peer identifier IPV4_ADDR 172.16.200.242",
        "ike V=root:0:DY:155: re-validate gw ID",
        "ike V=root:0:DY:155: gw validation OK",
        "ike V=root:0:DY:155: responder preparing EAP identity request",
        SeedLineComparer.Elision,
        "ike V=root:0:FCT:22: responder received AUTH msg",
        "ike V=root:0:FCT:22: peer identifier IPV4_ADDR 172.16.200.242",
        "ike V=root:0:FCT:22: auth verify done ",
        "ike V=root:0:FCT:22: responder AUTH continuation",
        "ike V=root:0:FCT:22: authentication succeeded",
        "ike V=root:0:FCT:22: EMS SN check passed",
        "ike V=root:0:FCT:22: EMS ZTNA tags check success ZTNA_all_registered_clients",
        "ike V=root:0:FCT:22: responder creating new child ",
    ], Example1Names);

    /// <summary>Example 1, a client without the tag.</summary>
    public static readonly SeedExcerpt Example1Refused = new("Example 1: no matching tag",
    [
        "ike V=root:0:FCT:23: responder received AUTH msg",
        "ike V=root:0:FCT:23: peer identifier IPV4_ADDR 172.16.200.242",
        "ike V=root:0:FCT:23: auth verify done",
        "ike V=root:0:FCT:23: responder AUTH continuation",
        "ike V=root:0:FCT:23: authentication succeeded",
        "ike V=root:0:FCT:23: EMS SN check passed",
        "ike V=root:0:FCT:23: EMS ZTNA tags check failure, abort",
        "ike V=root:FCT Negotiate SA Error: EMS ZTNA tags check failed",
        "ike V=root:0:FCT:23: sending IKE_AUTH ZTNA TAGS check failure notification response ",
    ], Example1Names);

    /// <summary>Example 2, the EMS unreachable: FortiClient's notifies in the AUTH after EAP, the token decides.</summary>
    public static readonly SeedExcerpt Example2Token = new("Example 2: EMS unreachable, the JWT decides",
    [
        "ike V=root:0: udp comes 10.160.1.197:55846->10.160.1.1:4500,ifindex=1123,vrf=0,len=466....",
        SeedLineComparer.Elision,
        "ike V=root:0:FCT_EMS_TAG_ph2:FCT_EMS_TAG_ph2: created connection: 0x55e62c7d8a50 1123 10.160.1.1->10.160.1.197:55846.",
        SeedLineComparer.Elision,
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: responder received AUTH msg",
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: processing notify type INITIAL_CONTACT",
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: peer identifier IPV4_ADDR 10.160.1.197",
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: eap-peer=yes",
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: re-validate gw ID",
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: gw validation OK",
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: responder preparing EAP identity request",
        SeedLineComparer.Elision,
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: authentication succeeded",
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: processing notify type FORTICLIENT_CONNECT",
        """
        ike V=root:0:FCT_EMS_TAG_ph2:40481: received FCT data len = 309, data = 'VER=1
        FCTVER=7.4.5.1949
        UID=F8A6AFF3531843B4972CBDBEEEB30E3C
        IP=10.160.1.197
        MAC=00-0c-29-2c-4d-d7;00-0c-29-2c-4d-e1;00-0c-29-2c-4d-eb;
        HOST=DESKTOP-EMS-TAG-PH2
        USER=tester
        OSVER=Microsoft Windows 8.0 , 64-bit (build 9200)
        REG_STATUS=0
        EMSSN=FCTEMS8826000120
        EMSID=00000000000000000000000000000000
        FCTTAGS=1
        """,
        "ike V=root:0:FCT_EMS_TAG_ph2:40481: received FCT-UID : F8A6AFF3531843B4972CBDBEEEB30E3C",
        SeedLineComparer.Elision,
        "ike V=root:0:FCT_EMS_TAG_ph2_0:40481: processing notify type ZTNA_TAG",
        SeedLineComparer.Elision,
        "ike V=root:0:FCT_EMS_TAG_ph2_0:40481: received ZTNA tags update token (len=791) data=eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJlbmRwb2ludCI6eyJ1aWQiOiJGOEE2QUZGMzUzMTg0M0I0OTcyQ0JEQkVFRUIzMEUzQyJ9fQ.GT4B2wuDJcVKn1LCb6UW1by0pXxvW5vdQD2DzvCmRxO",
        "ike V=root:0:FCT_EMS_TAG_ph2_0: EMS ZTNA token tags check success ZTNA_a",
        "ike V=root:0:FCT_EMS_TAG_ph2_0:40481: send EMS_ZTNA_TAGS_CHECK_SUCCESS",
    ], new Dictionary<string, string>(StringComparer.Ordinal));
}
