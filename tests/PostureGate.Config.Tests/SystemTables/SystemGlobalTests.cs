// config system global admin-sport / admin-server-cert and system interface allowaccess: the admin console's words, refusals at file:line:col.
using PostureGate.Config.Printing;
using PostureGate.Config.Tests.Certificates;

namespace PostureGate.Config.Tests.SystemTables;

public sealed class SystemGlobalTests
{
    private static readonly TestCertificates C = TestCertificates.Instance;

    private static string Config(string global = "", string allow = "", string locals = "") => $$"""
        config system global{{global}}
        end
        config system interface
            edit "port1"
                set ip 192.0.2.4 255.255.255.0{{allow}}
            next
            edit "port2"
                set ip 198.51.100.1 255.255.255.0
            next
        end{{locals}}
        """;

    private static string GatewayCertificate => $$"""

        config vpn certificate local
            edit "admin-cert"
                set certificate "{{C.GatewayEcPem.TrimEnd('\n')}}"
                set private-key "{{C.GatewayEcKeyPem.TrimEnd('\n')}}"
            next
        end
        """;

    private static LoadResult Load(string text) => ConfigLoader.Parse(text, "global.conf");

    private static (int Line, int Column) At(string text, string marker)
    {
        var i = text.IndexOf(marker, StringComparison.Ordinal);
        var line = text[..i].Count(c => c == '\n') + 1;
        return (line, i - text.LastIndexOf('\n', i - 1));
    }

    [Fact]
    public void WithoutAdminSportThereIsNoConsole()
    {
        var r = Load(Config());
        Assert.True(r.Config is not null, string.Join('\n', r.Diagnostics));
        Assert.Null(r.Config!.Global.AdminSport);
        Assert.False(r.Config.Global.AdminConsole);
        Assert.Null(r.Config.Global.AdminServerCert);
    }

    [Fact]
    public void AdminSportTurnsTheConsoleOnOnTheInterfacesThatAllowHttps()
    {
        var r = Load(Config(global: "\n    set admin-sport 8443", allow: "\n        set allowaccess https"));
        Assert.True(r.Config is not null, string.Join('\n', r.Diagnostics));
        Assert.Equal(8443, r.Config!.Global.AdminSport);
        Assert.True(r.Config.Interfaces.Find("port1")!.AllowHttps);
        Assert.False(r.Config.Interfaces.Find("port2")!.AllowHttps);
        Assert.Null(r.Config.Global.AdminServerCert);
    }

    [Fact]
    public void AdminServerCertNamesALocalCertificate()
    {
        var r = Load(Config(global: "\n    set admin-sport 8443\n    set admin-server-cert \"admin-cert\"", locals: GatewayCertificate));
        Assert.True(r.Config is not null, string.Join('\n', r.Diagnostics));
        Assert.Same(r.Config!.LocalCertificates.Find("admin-cert"), r.Config.Global.AdminServerCert);
    }

    [Fact]
    public void AnUnknownAdminServerCertIsRefusedAtItsValueWithAHint()
    {
        var text = Config(global: "\n    set admin-sport 8443\n    set admin-server-cert \"admin-crt\"", locals: GatewayCertificate);
        var r = Load(text);
        Assert.Null(r.Config);
        var e = Assert.Single(r.Errors);
        Assert.Equal("unknown local certificate 'admin-crt'", e.Message);
        Assert.Contains("admin-cert", e.Hint, StringComparison.Ordinal);
        Assert.Equal(At(text, "\"admin-crt\""), (e.Span.Line, e.Span.Column));
    }

    [Theory]
    [InlineData("0", "'admin-sport' must be between 1 and 65535, not 0")]
    [InlineData("65536", "'admin-sport' must be between 1 and 65535, not 65536")]
    public void AdminSportOutOfRangeIsRefusedAtItsValue(string port, string message)
    {
        var text = Config(global: $"\n    set admin-sport {port}");
        var r = Load(text);
        Assert.Null(r.Config);
        var e = Assert.Single(r.Errors);
        Assert.Equal(message, e.Message);
        Assert.Equal(At(text, port + "\n"), (e.Span.Line, e.Span.Column));
    }

    [Fact]
    public void AdminServerCertWithoutAdminSportIsRefused()
    {
        var text = Config(global: "\n    set admin-server-cert \"admin-cert\"", locals: GatewayCertificate);
        var r = Load(text);
        Assert.Null(r.Config);
        var e = Assert.Single(r.Errors);
        Assert.StartsWith("'admin-server-cert' has no effect without 'set admin-sport'", e.Message, StringComparison.Ordinal);
        Assert.Equal(At(text, "set admin-server-cert").Line, e.Span.Line);
    }

    // Loads, with exactly one warning starting so, at the marker's line and column.
    private static Model.GatewayConfig LoadsWithOneWarning(string text, string message, string marker)
    {
        var r = Load(text);
        Assert.True(r.Config is not null, string.Join('\n', r.Diagnostics));
        var w = Assert.Single(r.Diagnostics);
        Assert.False(w.IsError);
        Assert.StartsWith(message, w.Message, StringComparison.Ordinal);
        Assert.Equal(At(text, marker), (w.Span.Line, w.Span.Column));
        return r.Config!;
    }

    [Fact]
    public void AllowAccessHttpsWithoutTheConsoleLoadsButSaysItOpensNothing()
    {
        // A FortiGate's file: https allowed, admin-sport left at FortiOS's unprinted 443.
        var loaded = LoadsWithOneWarning(Config(allow: "\n        set allowaccess https"),
            "'allowaccess https' has no effect without the admin console", "https");
        Assert.False(loaded.Global.AdminConsole);
    }

    [Fact]
    public void AllowAccessWordsOtherThanHttpsOpenNothingAndSaySoAtTheFirst()
    {
        var loaded = LoadsWithOneWarning(Config(global: "\n    set admin-sport 8443", allow: "\n        set allowaccess ping https ssh"),
            "'allowaccess ping ssh' has no effect in PostureGate: it answers only 'https'", "ping");
        Assert.True(loaded.Interfaces.Find("port1")!.AllowHttps);
    }

    [Fact]
    public void AnotherFortiOsGlobalWordLoadsWithAWarning()
    {
        var r = Load(Config(global: "\n    set hostname \"gw1\"\n    set admin-sport 443"));
        Assert.True(r.Config is not null, string.Join('\n', r.Diagnostics));
        Assert.Contains(r.Diagnostics, d => !d.IsError && d.Message.Contains("hostname", StringComparison.Ordinal));
    }

    [Fact]
    public void ConsoleWordsRoundTripThroughShow()
    {
        var r = Load(Config(global: "\n    set admin-sport 8443", allow: "\n        set allowaccess https"));
        var printed = ConfigPrinter.Print(r.Config!);
        Assert.Contains("config system global\n    set admin-sport 8443\nend", printed, StringComparison.Ordinal);
        Assert.Contains("        set allowaccess https\n", printed, StringComparison.Ordinal);
        var again = Load(printed);
        Assert.Equal(r.Config, again.Config);
    }
}
