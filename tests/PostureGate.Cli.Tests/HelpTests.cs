// `pgate … --help` reads alike everywhere: value names by kind (<FILE>, <DIR>, <URL>, …),
// defaults as [default: …], and diagnose's help lists every command the gateway answers.
using System.CommandLine;
using System.Text.RegularExpressions;
using PostureGate.Cli.Commands;

namespace PostureGate.Cli.Tests;

public class HelpTests
{
    private static string Help(params string[] command)
    {
        var output = new StringWriter();
        Program.BuildRoot().Parse([.. command, "--help"]).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return output.ToString();
    }

    [Fact]
    public void Every_option_with_a_value_has_a_value_name_by_kind()
    {
        Assert.Empty(HelpNames.Unnamed(Program.BuildRoot()));
    }

    [Theory]
    [InlineData("gateway", "--config <FILE>", "--data <DIR>", "--control <FILE>")]
    [InlineData("up", "--config <FILE>", "--data <DIR>", "--ems-listen <URL>")]
    [InlineData("client connect", "--psk-file <FILE>", "--password-file <FILE>", "--ems <URL>")]
    [InlineData("diagnose", "--control <FILE>", "[default: env PGATE_CONTROL", "[default: ")]
    [InlineData("gateway drain", "--control <FILE>", "--off", "[default: env PGATE_CONTROL")]
    public void Value_names_and_defaults_read_alike(string command, string a, string b, string c)
    {
        var help = Help(command.Split(' '));
        Assert.Contains(a, help, StringComparison.Ordinal);
        Assert.Contains(b, help, StringComparison.Ordinal);
        Assert.Contains(c, help, StringComparison.Ordinal);
        Assert.DoesNotContain("(default", help, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"--[a-z-]+ <[a-z][a-z-]*>"), help);
    }

    [Fact]
    public void Diagnose_help_lists_every_command_the_gateway_registers_in_GatewayHost_and_PostureComposition()
    {
        var help = Help("diagnose");
        foreach (var words in new[]
                 {
                     "vpn ike gateway list", "vpn ike gateway clear", "vpn ike redirect", "vpn tunnel list", "vpn ipsec status", "firewall dynamic list",
                     "firewall policy list", "endpoint ec-shm list", "endpoint fctems status", "posture explain", "debug application",
                     "debug enable", "debug disable", "debug reset",
                 })
            Assert.Contains(words, help, StringComparison.Ordinal);
    }
}
