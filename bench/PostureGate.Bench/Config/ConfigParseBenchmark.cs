// Parse + check of a generated ~200,000-line configuration (thousands of
// addresses, users, policies, phase1/phase2 entries), against a baseline in the
// same run: File.ReadAllLines + string.Split of the same file, the least any
// line-based reader must do. Goal: ≤ 0.5 s, few allocations.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using PostureGate.Config;

namespace PostureGate.Bench.Config;

public sealed class ConfigParseBenchmark : IBenchmark
{
    public string Name => "config-parse";

    public string Description => "parse+validate a generated 200k-line config vs ReadAllLines+Split";

    public int Run(string[] args)
    {
        var targetLines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var text = Generate(targetLines, out var lines);
        var path = Path.Combine(Path.GetTempPath(), $"pgate-bench-{Environment.ProcessId}.conf");
        File.WriteAllText(path, text);
        try
        {
            // Warm-up (JIT, tiering) for both sides.
            var check = ConfigLoader.Load(path);
            if (check.Config is null)
            {
                Console.WriteLine("generated configuration has errors:");
                foreach (var d in check.Diagnostics.Take(10))
                    Console.WriteLine(d);
                return 1;
            }
            Baseline(path);
            const int runs = 5;
            var parse = Measure(runs, () => ConfigLoader.Load(path).Config!.Policies.Count);
            var baseline = Measure(runs, () => Baseline(path));
            Console.WriteLine($"lines {lines:N0}, entries: {check.Config.Addresses.Count:N0} addresses, {check.Config.Policies.Count:N0} policies, " +
                $"{check.Config.Phase1Interfaces.Count:N0} phase1, {check.Config.Phase2Interfaces.Count:N0} phase2, {check.Config.LocalUsers.Count:N0} users");
            Console.WriteLine($"ConfigLoader.Load (parse+bind+check): {parse}");
            Console.WriteLine($"baseline ReadAllLines+Split:           {baseline}");
            Console.WriteLine($"ratio wall {parse.WallMs / baseline.WallMs:F2}x, cpu {parse.CpuMs / baseline.CpuMs:F2}x, allocations {(double)parse.Bytes / baseline.Bytes:F2}x; " +
                $"goal <= 500 ms wall: {(parse.WallMs <= 500 ? "met" : "NOT met")} (load average {LoadAverage()})");
            return 0;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static int Baseline(string path)
    {
        var n = 0;
        foreach (var line in File.ReadAllLines(path))
            n += line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return n;
    }

    /// <summary>Median wall and CPU time of <paramref name="runs"/> runs; CPU time (all threads, GC included) is steadier on a loaded machine.</summary>
    private static Figures Measure(int runs, Func<int> body)
    {
        var wall = new double[runs];
        var cpu = new double[runs];
        long bytes = 0;
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sw = Stopwatch.StartNew();
            body();
            wall[i] = sw.Elapsed.TotalMilliseconds;
            bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        }
        var gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore;
        Array.Sort(wall);
        Array.Sort(cpu);
        return new Figures(wall[runs / 2], cpu[runs / 2], bytes, gcs / runs);
    }

    private readonly record struct Figures(double WallMs, double CpuMs, long Bytes, int GcsPerRun)
    {
        public override string ToString() =>
            $"median wall {WallMs,7:F1} ms, cpu {CpuMs,7:F1} ms, {Bytes / 1048576.0,6:F1} MiB allocated, {GcsPerRun} GCs/run";
    }

    /// <summary>A valid configuration of about <paramref name="target"/> lines.</summary>
    private static string Generate(int target, out int lines)
    {
        var sb = new StringBuilder(target * 36);
        var scale = Math.Max(1, target / 200_000.0);
        int addresses = (int)(10_000 * scale), users = (int)(2_000 * scale), tunnels = (int)(2_000 * scale), policies = (int)(9_500 * scale);
        sb.Append("#config-version=PostureGate-bench\nconfig system interface\n");
        for (var i = 0; i < 50; i++)
            sb.Append(CultureInfo.InvariantCulture, $"    edit \"port{i}\"\n        set ip 192.0.{i}.1 255.255.255.0\n        set alias \"wan{i}\"\n    next\n");
        sb.Append("end\nconfig user local\n");
        for (var i = 0; i < users; i++)
            sb.Append(CultureInfo.InvariantCulture, $"    edit \"user{i}\"\n        set type password\n        set passwd \"secret-{i}\"\n    next\n");
        sb.Append("end\nconfig user group\n");
        for (var i = 0; i < users / 10; i++)
            sb.Append(CultureInfo.InvariantCulture, $"    edit \"group{i}\"\n        set member \"user{i * 10}\" \"user{i * 10 + 1}\" \"user{i * 10 + 2}\"\n    next\n");
        sb.Append("end\nconfig endpoint-control fctems\n    edit 1\n        set status enable\n        set server \"ems.example.com\"\n    next\nend\nconfig firewall address\n");
        for (var i = 0; i < addresses; i++)
        {
            if (i % 2 == 0)
                sb.Append(CultureInfo.InvariantCulture, $"    edit \"net{i}\"\n        set subnet 10.{i / 256 % 256}.{i % 256}.0 255.255.255.0\n        set comment \"subnet {i}\"\n    next\n");
            else
                sb.Append(CultureInfo.InvariantCulture, $"    edit \"net{i}\"\n        set type iprange\n        set start-ip 172.16.{i % 256}.1\n        set end-ip 172.16.{i % 256}.200\n    next\n");
        }
        sb.Append("end\nconfig firewall addrgrp\n");
        for (var i = 0; i < addresses / 10; i++)
            sb.Append(CultureInfo.InvariantCulture, $"    edit \"grp{i}\"\n        set member \"net{i * 10}\" \"net{i * 10 + 1}\" \"net{i * 10 + 2}\"\n    next\n");
        sb.Append("end\nconfig vpn ipsec phase1-interface\n");
        for (var i = 0; i < tunnels; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    edit \"t{i}\"\n        set type dynamic\n        set interface \"port{i % 50}\"\n        set ike-version 2\n        set peertype any\n        set mode-cfg enable\n");
            sb.Append(CultureInfo.InvariantCulture, $"        set proposal aes128-sha256 aes256gcm-prfsha384\n        set dhgrp 20 21\n        set eap enable\n        set authusrgrp \"group{i % (users / 10)}\"\n");
            sb.Append(CultureInfo.InvariantCulture, $"        set remote-gw-match ztna\n        set remote-gw-ztna-tags \"EMS1_ZTNA_tag{i % 20}\"\n        set ipv4-start-ip 10.200.{i % 256}.2\n        set ipv4-end-ip 10.200.{i % 256}.250\n");
            sb.Append(CultureInfo.InvariantCulture, $"        set ipv4-split-include \"grp{i % (addresses / 10)}\"\n        set psksecret \"psk-{i}\"\n    next\n");
        }
        sb.Append("end\nconfig vpn ipsec phase2-interface\n");
        for (var i = 0; i < tunnels; i++)
            sb.Append(CultureInfo.InvariantCulture, $"    edit \"t{i}\"\n        set phase1name \"t{i}\"\n        set proposal aes128gcm aes256gcm\n        set keylifeseconds 3600\n    next\n");
        sb.Append("end\nconfig firewall policy\n");
        for (var i = 0; i < policies; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    edit {i + 1}\n        set name \"policy {i}\"\n        set srcintf \"t{i % tunnels}\"\n        set dstintf \"port{i % 50}\"\n        set action accept\n");
            sb.Append(CultureInfo.InvariantCulture, $"        set srcaddr \"all\"\n        set dstaddr \"net{i % addresses}\" \"grp{i % (addresses / 10)}\"\n        set schedule \"always\"\n        set service \"HTTPS\" \"SSH\"\n        set nat enable\n    next\n");
        }
        sb.Append("end\n");
        var text = sb.ToString();
        lines = text.AsSpan().Count('\n');
        return text;
    }
}
