using PostureGate.Config.Model;

namespace PostureGate.Config.Tests;

/// <summary>The CLI grammar: quoting, escapes, comments, layout, line ends, and structural errors.</summary>
public class LexerParserTests
{
    private const string Address = """
        config firewall address
            edit "a"
                set comment "x"
            next
        end
        """;

    private static LoadResult Parse(string text) => ConfigLoader.Parse(text, "t.conf");

    private static string[] Lines(LoadResult r) => r.Diagnostics.Select(d => d.ToString()).ToArray();

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("word", "word")]
    [InlineData("\"two words\"", "two words")]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("\"back\\\\slash\"", "back\\slash")]
    [InlineData("\"tab\\there\"", "tab\there")]
    [InlineData("\"line\\nbreak\"", "line\nbreak")]
    [InlineData("\"#not a comment\"", "#not a comment")]
    [InlineData("\"\"", "")]
    public void QuotedStringsAndEscapes(string written, string value)
    {
        var r = Parse(Address.Replace("\"x\"", written, StringComparison.Ordinal));
        Assert.Empty(r.Diagnostics);
        Assert.Equal(value, r.Config!.Addresses["a"].Comment);
    }

    [Fact]
    public void CommentsHeaderTabsAndFreeIndentation()
    {
        const string text = "#config-version=FGVM64-7.4.4-FW-build2662-240514:opmode=0:vdom=0\n#conf_file_ver=1\n" +
            "# a comment\nconfig firewall address\n\t\t edit \"a\"   # trailing comment\n" +
            "set   subnet\t10.0.0.0   255.0.0.0\n  next\n\n\nend\n";
        var r = Parse(text);
        Assert.Empty(r.Diagnostics);
        Assert.Equal(new IpPrefix(System.Net.IPAddress.Parse("10.0.0.0"), 8), r.Config!.Addresses["a"].Subnet);
    }

    [Fact]
    public void CrLfLfAndCrGiveTheSameModel()
    {
        var lf = Parse(Address);
        var crlf = Parse(Address.ReplaceLineEndings("\r\n"));
        var cr = Parse(Address.ReplaceLineEndings("\r"));
        Assert.Equal(lf.Config, crlf.Config);
        Assert.Equal(lf.Config, cr.Config);
        Assert.Empty(crlf.Diagnostics);
    }

    [Fact]
    public void LinesAndColumnsSurviveCrLf()
    {
        var r = Parse("config firewall address\r\n    edit \"a\"\r\n        set colour red\r\n    next\r\nend\r\n");
        Assert.Equal(["t.conf:3:13: error: unknown attribute 'colour' in 'firewall address'; did you mean 'color'?"], Lines(r));
    }

    // FortiOS writes certificates and keys with their line breaks inside the quotes.
    private const string MultiLine = "config firewall address\n    edit \"a\"\n        set comment \"-----BEGIN X-----\n  MIIB\t\\\"q\\\"\n-----END X-----\"\n        set colour red\n    next\nend\n";

    [Fact]
    public void AQuotedStringMaySpanLines()
    {
        var r = Parse(MultiLine.Replace("        set colour red\n", "", StringComparison.Ordinal));
        Assert.Empty(r.Diagnostics);
        Assert.Equal("-----BEGIN X-----\n  MIIB\t\"q\"\n-----END X-----", r.Config!.Addresses["a"].Comment);
    }

    [Fact]
    public void PositionsAfterAMultiLineStringAreTheRealOnes()
    {
        // "set colour" is on line 6 of the file, after the three lines of the string.
        Assert.Equal(["t.conf:6:13: error: unknown attribute 'colour' in 'firewall address'; did you mean 'color'?"], Lines(Parse(MultiLine)));
        Assert.Equal(["t.conf:6:13: error: unknown attribute 'colour' in 'firewall address'; did you mean 'color'?"], Lines(Parse(MultiLine.Replace("\n", "\r\n", StringComparison.Ordinal))));
    }

    [Fact]
    public void AMultiLineValueInADiagnosticStaysOnOneLine()
    {
        var r = Parse("config system settings\n    set ike-port \"5\r\n00\"\nend\n");
        Assert.Equal(["t.conf:2:18: error: 'ike-port' needs an integer, not \"5\\n00\""], Lines(r));
    }

    [Fact]
    public void AMultiLineStringPrintsAcrossLinesAndReadsBack()
    {
        var text = MultiLine.Replace("        set colour red\n", "", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        var first = Parse(text).Config!;
        var printed = Printing.ConfigPrinter.Print(first);
        Assert.Contains("        set comment \"-----BEGIN X-----\n  MIIB\\t\\\"q\\\"\n-----END X-----\"\n", printed.ReplaceLineEndings("\n"));
        var second = ConfigLoader.Parse(printed, "p.conf");
        Assert.Equal(first, second.Config);
        Assert.Equal(printed, Printing.ConfigPrinter.Print(second.Config!));
    }

    [Fact]
    public void UnterminatedStringIsOneErrorAndNoModel()
    {
        var r = Parse(Address.Replace("\"x\"", "\"x", StringComparison.Ordinal));
        Assert.Equal(["t.conf:3:21: error: unterminated string; add the closing '\"'"], Lines(r));
        Assert.Null(r.Config);
    }

    [Fact]
    public void NestedConfigInsideAnEditIsParsedAndRejectedByTheSchema()
    {
        var r = Parse("config system interface\n    edit \"port1\"\n        config ipv7\n            set ip6-address ::1/128\n        end\n    next\nend\n");
        Assert.Equal(["t.conf:3:16: error: 'config ipv7' is not part of 'system interface'; did you mean 'ipv6'?"], Lines(r));
    }

    // What a FortiGate's own `show` prints for an interface: FortiOS attributes and sub-tables
    // PostureGate has no use for load with a warning (none for the descriptive ones) and print back.
    private const string FortiGateInterface = """
        config system interface
            edit "port1"
                set vdom "root"
                set ip 192.0.2.4 255.255.255.0
                set allowaccess ping https ssh
                set type physical
                set alias "wan"
                set role wan
                set description "uplink \"A\""
                set snmp-index 1
                config ipv6
                    set ip6-address 2001:db8::1/64
                    set ip6-allowaccess ping
                end
            next
        end
        config vpn ipsec phase2-interface
            edit "p2"
                set phase1name "p1"
                set comments "dial-up"
            next
        end
        """;

    [Fact]
    public void FortiOsAttributesPostureGateDoesNotUseLoadWithAWarningAndPrintBack()
    {
        var r = Parse(FortiGateInterface);
        Assert.Equal(
            [
                "t.conf:5:25: warning: 'allowaccess ping ssh' has no effect in PostureGate: it answers only 'https' (the admin console of 'admin-sport'); kept as written",
                "t.conf:5:30: warning: 'allowaccess https' has no effect without the admin console: set 'admin-sport' in 'config system global' (PostureGate does not assume FortiOS's 443)",
                "t.conf:8:13: warning: 'role' has no effect in PostureGate: a FortiOS setting of 'system interface' it does not implement; kept as written",
                "t.conf:10:13: warning: 'snmp-index' has no effect in PostureGate: a FortiOS setting of 'system interface' it does not implement; kept as written",
                "t.conf:11:16: warning: 'config ipv6' has no effect in PostureGate: a FortiOS setting of 'system interface' it does not implement; kept as written",
                "t.conf:19:24: error: unknown phase1-interface 'p1'",
            ],
            Lines(r));
        var ok = Parse(FortiGateInterface[..FortiGateInterface.IndexOf("config vpn", StringComparison.Ordinal)]);
        Assert.Equal("uplink \"A\"", ok.Config!.Interfaces["port1"].Description);
        var printed = Printing.ConfigPrinter.Print(ok.Config).ReplaceLineEndings("\n");
        Assert.Contains("        set allowaccess ping https ssh\n        set role wan\n        set snmp-index 1\n        config ipv6\n            set ip6-address 2001:db8::1/64\n            set ip6-allowaccess ping\n        end\n    next\n", printed);
        var again = Parse(printed);
        Assert.Equal(ok.Config, again.Config);
        Assert.Equal(printed, Printing.ConfigPrinter.Print(again.Config!).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void UnsetAndAppendWorkOnFortiOsAttributesToo()
    {
        var r = Parse("config system interface\n    edit \"port1\"\n        set allowaccess ping\n        append allowaccess ssh\n        set snmp-index 3\n        unset snmp-index\n    next\nend\n");
        var printed = Printing.ConfigPrinter.Print(r.Config!).ReplaceLineEndings("\n");
        Assert.Contains("        set allowaccess ping ssh\n    next", printed);
        Assert.DoesNotContain("snmp-index", printed);
    }

    [Fact]
    public void AMisspelledFortiOsAttributeIsStillAnErrorWithAHint()
    {
        var r = Parse("config system interface\n    edit \"port1\"\n        set allowacess ping\n    next\nend\n");
        Assert.Equal(["t.conf:3:13: error: unknown attribute 'allowacess' in 'system interface'; did you mean 'allowaccess'?"], Lines(r));
    }

    [Fact]
    public void ASecondEditOfAnEntryMergesIntoIt()
    {
        // FortiOS applies a second `edit "a"` to the existing entry: later sets win, unset restores the default.
        var r = Parse("""
            config firewall address
                edit "a"
                    set subnet 10.0.0.0 255.0.0.0
                    set comment "first"
                next
                edit "b"
                next
                edit "a"
                    set subnet 10.1.0.0 255.255.0.0
                    unset comment
                next
            end
            """);
        Assert.Empty(r.Diagnostics);
        Assert.Equal(["a", "b"], r.Config!.Addresses.Select(a => a.Name));
        var a = r.Config.Addresses["a"];
        Assert.Equal("10.1.0.0/16", a.Subnet.ToString());
        Assert.Null(a.Comment);
        Assert.Equal(2, a.Span.Line);
    }

    [Fact]
    public void SettingsSectionsTakeSetDirectly()
    {
        var r = Parse("config system dns\n    set primary 192.0.2.1\nend\nconfig system settings\n    set ike-port 1500\nend\n");
        Assert.Empty(r.Diagnostics);
        Assert.Equal(System.Net.IPAddress.Parse("192.0.2.1"), r.Config!.Dns.Primary);
        Assert.Null(r.Config.Dns.Secondary);
        Assert.Equal(1500, r.Config.Settings.IkePort);
        Assert.Equal(4500, r.Config.Settings.IkeNattPort);
    }

    [Fact]
    public void WithoutSystemDnsThereIsNoDnsServer()
    {
        // FortiOS would default to FortiGuard's 96.45.45.45 / 96.45.46.46; PostureGate names none.
        var r = Parse("config system settings\n    set ike-port 500\nend\n");
        Assert.Empty(r.Diagnostics);
        Assert.Null(r.Config!.Dns.Primary);
        Assert.Null(r.Config.Dns.Secondary);
        Assert.Empty(r.Config.Dns.Servers);
    }

    [Fact]
    public void UnsetRestoresTheDefaultAndAppendExtendsLists()
    {
        var r = Parse("""
            config firewall address
                edit "a"
                    set subnet 10.0.0.0/8
                    unset subnet
                next
                edit "b"
                    set subnet 10.1.0.0/16
                next
            end
            config firewall addrgrp
                edit "g"
                    set member "a"
                    append member "b" "a"
                next
            end
            """);
        Assert.Empty(r.Diagnostics);
        Assert.Equal(IpPrefix.Any, r.Config!.Addresses["a"].Subnet);
        Assert.Equal(["a", "b"], r.Config.AddressGroups["g"].Members.Select(m => m.Name));
    }

    [Fact]
    public void AllMistakesAreReportedInOneRun()
    {
        var r = Parse("""
            config firewall address
                edit "a"
                    set typ ipmask
                    set subnet 10.0.0.0 255.0.255.0
                next
                edit "b"
                    set start-ip 1.2.3
                next
            end
            """);
        Assert.Equal(
            [
                "t.conf:3:13: error: unknown attribute 'typ' in 'firewall address'; did you mean 'type'?",
                "t.conf:4:29: error: '255.0.255.0' is not a valid netmask",
                "t.conf:7:22: error: 'start-ip' needs an IPv4 address, not '1.2.3'",
            ],
            Lines(r));
    }

    [Theory]
    [InlineData("next\n", "t.conf:1:1: error: 'next' outside an 'edit'")]
    [InlineData("end\n", "t.conf:1:1: error: 'end' without 'config'")]
    [InlineData("set a b\n", "t.conf:1:1: error: 'set' outside a 'config' block")]
    [InlineData("config\n", "t.conf:1:1: error: 'config' needs a path, e.g. 'config vpn ipsec phase1-interface'")]
    [InlineData("\"config\" system dns\nend\n", "t.conf:1:1: error: unknown command \"config\"; expected config, edit, set, unset, append, next or end; did you mean 'config'?")]
    public void StructuralErrors(string text, string expected) =>
        Assert.Contains(expected, Lines(Parse(text)));
}
