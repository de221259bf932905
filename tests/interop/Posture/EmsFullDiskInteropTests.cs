// `pgate ems` on a full disk (issue 12 "Loss and faults"): its data directory is a small tmpfs that
// the test fills. Enrollments (writes through the API) are then refused with 507 and a reason —
// never a 500 or a stack trace — while the EMS keeps answering reads; once space is back they work
// again, and every enrollment that was acknowledged is still there (nothing acknowledged was lost).
using System.Globalization;
using PostureGate.Interop.Tests.Lab;
using Xunit.Abstractions;

namespace PostureGate.Interop.Tests.Posture;

public sealed class EmsFullDiskInteropTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task OnAFullDisk_WritesAreRefusedWith507_ReadsGoOn_AndNothingAcknowledgedIsLost()
    {
        LabRequirements.EnsureOrSkip();
        await using var lab = await InteropLab.CreateAsync(output);
        var data = Path.Combine(lab.StateDir, "ems");
        Directory.CreateDirectory(data);
        var mount = await LabProcess.RunAsync("mount", ["-t", "tmpfs", "-o", "size=16m,mode=0700", "pgi-ems-full", data], TimeSpan.FromSeconds(30));
        Assert.True(mount.Succeeded, mount.ToString());
        try
        {
            var ems = await lab.StartEmsAsync();
            var invite = await Pgate(lab, "ems", "invite", "create", "--uses", "40", "--expires", "1h", "--data", data);
            var code = System.Text.RegularExpressions.Regex.Match(invite.StdOut, @"(?m)^invitation code: (\S+)\s*$");
            Assert.True(code.Success, invite.ToString());
            var inviteFile = Path.Combine(lab.StateDir, "invite");
            await File.WriteAllTextAsync(inviteFile, code.Groups[1].Value);
            File.SetUnixFileMode(inviteFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var acknowledged = new List<string>();
            Assert.True(await EnrollAsync(lab, ems, inviteFile, acknowledged, 0), "enrolling on an empty disk failed");

            // Fill the tmpfs: dd stops at ENOSPC.
            await LabProcess.RunAsync("dd", ["if=/dev/zero", $"of={Path.Combine(data, "filler")}", "bs=64k"], TimeSpan.FromMinutes(1));
            // SQLite may still fit a few small transactions in its existing WAL pages: enroll until one is refused.
            var refused = false;
            for (var i = 1; i <= 30 && !refused; i++)
            {
                refused = !await EnrollAsync(lab, ems, inviteFile, acknowledged, i);
            }
            Assert.True(refused, "no enrollment was refused on a full disk");
            // The EMS logs before it answers, but its console logger writes from a queue and the
            // harness reads the pipe on its own: give the line a moment to arrive.
            var emsLog = lab.LiveLog("pgate ems");
            for (var wait = 0; wait < 100 && !emsLog.Contains("store full (", StringComparison.Ordinal); wait++)
            {
                await Task.Delay(100);
                emsLog = lab.LiveLog("pgate ems");
            }
            Assert.Contains("store full (", emsLog, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", emsLog, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("   at ", emsLog, StringComparison.Ordinal);

            // Reads go on: the gateways' snapshot, while the disk is still full.
            var snapshot = await LabProcess.RunAsync("ip", ["netns", "exec", lab.Namespace(LabNamespace.Gateway), "curl", "-sk", "--fail-with-body",
                "-H", $"Authorization: Bearer {ems.GatewayApiKey}", ems.Url + "/api/v1/gateway/snapshot"], TimeSpan.FromSeconds(60));
            Assert.True(snapshot.Succeeded, snapshot.ToString());
            Assert.Contains(acknowledged[0], snapshot.StdOut, StringComparison.OrdinalIgnoreCase);

            File.Delete(Path.Combine(data, "filler"));
            Assert.True(await EnrollAsync(lab, ems, inviteFile, acknowledged, 99), "enrolling after space came back failed");
            var list = await Pgate(lab, "ems", "endpoint", "list", "--data", data);
            Assert.True(list.Succeeded, list.ToString());
            foreach (var uid in acknowledged)
            {
                Assert.Contains(uid, list.StdOut, StringComparison.OrdinalIgnoreCase);
            }
            output.WriteLine($"acknowledged before the refusal and after: {acknowledged.Count}");
        }
        finally
        {
            // Lazily: the tmpfs leaves the tree now (so the lab's teardown can remove the directory)
            // and goes away once the EMS, stopped by the teardown, has closed its files.
            await LabProcess.RunAsync("umount", ["-l", data], TimeSpan.FromSeconds(30));
            await lab.DisposeAsync();
        }
    }

    private static Task<CommandResult> Pgate(InteropLab lab, params string[] args) =>
        LabProcess.RunAsync(InteropLab.DotnetHost(), [InteropLab.PgateDll(), .. args], TimeSpan.FromSeconds(60));

    /// <summary>`pgate client enroll` of a new UID; true (and the UID recorded) when the EMS acknowledged it.</summary>
    private static async Task<bool> EnrollAsync(InteropLab lab, LabEms ems, string inviteFile, List<string> acknowledged, int n)
    {
        var uid = $"FD{n.ToString("D2", CultureInfo.InvariantCulture)}{Guid.NewGuid():N}"[..32].ToUpperInvariant();
        var r = await LabProcess.RunAsync("ip", ["netns", "exec", lab.Namespace(LabNamespace.Gateway), InteropLab.DotnetHost(), InteropLab.PgateDll(),
            "client", "enroll", "--ems", ems.Url, "--ems-fingerprint", ems.CertificateFingerprint, "--invite-file", inviteFile,
            "--device-dir", Path.Combine(lab.StateDir, "devices"), "--uid", uid, "--ip", $"192.0.2.{n + 1}"], TimeSpan.FromSeconds(90));
        if (r.Succeeded)
        {
            acknowledged.Add(uid);
            return true;
        }
        Assert.Contains("HTTP 507", r.ToString(), StringComparison.Ordinal);
        return false;
    }
}
