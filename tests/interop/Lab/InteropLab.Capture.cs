// Packet capture in the lab (dumpcap, from Debian's tshark package) and decoding with tshark,
// for the tests that check what PostureGate puts on the wire against Wireshark's dissectors.
namespace PostureGate.Interop.Tests.Lab;

public sealed partial class InteropLab
{
    /// <summary>
    /// Starts dumpcap on <paramref name="device"/> in <paramref name="ns"/> writing <paramref name="file"/>;
    /// returns once the capture runs. Stop it with <see cref="StopCaptureAsync"/> (SIGINT: the file is complete).
    /// </summary>
    internal async Task<LabProcess> StartCaptureAsync(LabNamespace ns, string device, string file)
    {
        // `ip netns exec` execs dumpcap: the process id is dumpcap's own, so SIGINT reaches it.
        var capture = LabProcess.Start("ip", ["netns", "exec", Namespace(ns), "dumpcap", "-q", "-i", device, "-w", file],
            TimeSpan.FromSeconds(LabWaitSeconds * 10));
        await WaitUntilAsync(() => Task.FromResult(capture.OutputSoFar.Contains("Capturing on", StringComparison.Ordinal)),
            StepTimeout, $"dumpcap to capture on {device}", capture.Completion);
        return capture;
    }

    /// <summary>
    /// Waits until the running capture has written <paramref name="count"/> frames matching
    /// <paramref name="filter"/> (dumpcap hands packets over in blocks: a stop right after the
    /// traffic could lose the last ones), then stops it.
    /// </summary>
    internal async Task<CommandResult> StopCaptureAfterAsync(LabProcess capture, string file, string filter, int count)
    {
        var none = Path.Combine(StateDir, "wireshark-none");
        Directory.CreateDirectory(none);
        await WaitUntilAsync(async () =>
        {
            var r = await TsharkAsync(file, none, "-Y", filter, "-T", "fields", "-e", "frame.number");
            return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= count;
        }, StepTimeout, $"{count} frames matching `{filter}` in the capture", capture.Completion);
        return await StopCaptureAsync(capture);
    }

    internal async Task<CommandResult> StopCaptureAsync(LabProcess capture)
    {
        await LabProcess.RunAsync("kill", ["-INT", capture.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)], StepTimeout);
        return await capture.Completion;
    }

    /// <summary>tshark -r FILE ARGS with its configuration (key tables) read from <paramref name="configDir"/> only.</summary>
    public static Task<CommandResult> TsharkAsync(string file, string configDir, params string[] args) =>
        LabProcess.RunAsync("tshark", ["-n", "-r", file, .. args], StepTimeout,
            new Dictionary<string, string> { ["WIRESHARK_CONFIG_DIR"] = configDir, ["HOME"] = configDir });
}
