using System.Text.RegularExpressions;

namespace PostureGate.Interop.Tests.Lab;

/// <summary>Outcome of one iputils ping run: how many echo replies came back.</summary>
public sealed partial record PingResult(int Transmitted, int Received, CommandResult Command)
{
    public bool AllReplied => Transmitted > 0 && Received == Transmitted;

    public static PingResult From(CommandResult command)
    {
        var m = Summary().Match(command.Output);
        return m.Success
            ? new PingResult(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), command)
            : new PingResult(0, 0, command);
    }

    // iputils: "3 packets transmitted, 3 received, 0% packet loss, time 401ms"
    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
    private static partial Regex Summary();
}
