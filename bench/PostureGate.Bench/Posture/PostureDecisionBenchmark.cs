// A full posture decision (FORTICLIENT_CONNECT parse, EMS SN check, tags tried in order against
// the synced cache, audit line) with 1,000,000 endpoints and 100 tags, p50/p99 per decision;
// the tag lookup alone at 1,000 and at 1,000,000 endpoints (O(1): the same cost); baseline a
// bare HashSet<uint>.Contains measured in the same run.
using System.Diagnostics;
using System.Net;
using PostureGate.Admission;
using PostureGate.Posture;

namespace PostureGate.Bench.Posture;

public sealed class PostureDecisionBenchmark : IBenchmark
{
    public string Name => "posture-decision";
    public string Description => "posture decision, 1M endpoints x 100 tags: p50/p99 ns vs HashSet<uint> baseline";

    public int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        const int tags = 100;
        const int samples = 200_000;
        var rc = 0;

        var build = Stopwatch.StartNew();
        var endpoints = PostureBench.Endpoints(count, tags);
        var store = new TagStore();
        using var connector = new DisposeSync(PostureBench.SyncedConnectorAsync(store, endpoints, tags).GetAwaiter().GetResult());
        Console.WriteLine($"store of {count} endpoints x {tags} tags built in {build.Elapsed.TotalSeconds:F1} s, managed heap {GC.GetTotalMemory(true) / 1e6:F0} MB");

        var small = new TagStore();
        small.For(1).ReplaceAll(1, PostureBench.Endpoints(1000, tags));
        var medium = new TagStore();
        medium.For(1).ReplaceAll(1, endpoints.Take(Math.Min(count, 100_000)));
        // The same number of entries as tag5 holds in the large store, in a bare HashSet.
        var baselineSet = new HashSet<uint>(endpoints.Where(e => e.HasTag("tag5")).Select(e => e.Ipv4!.Value));

        var random = new Random(1);
        var probes = new uint[samples];
        for (var i = 0; i < samples; i++)
            probes[i] = PostureBench.FirstIp + (uint)random.Next(count);

        var baseline = Time(probes, ip => baselineSet.Contains(ip));
        var lookupLarge = Time(probes, ip => store.For(1).Resolves("tag5", ip));
        var lookupSmall = Time(probes, ip => small.For(1).Resolves("tag5", PostureBench.FirstIp + ip % 1000));
        var lookupMedium = Time(probes, ip => medium.For(1).Resolves("tag5", PostureBench.FirstIp + (ip - PostureBench.FirstIp) % 100_000));

        // Full decisions: tag list of 3 where the endpoint holds the third (the worst common case).
        var keys = new PinnedKeyStore();
        using var gate = new PostureGateKeeper(store, [connector.Value], new ZtnaTokenVerifier(keys));
        const int decisions = 50_000;
        var requests = new PostureRequest[decisions];
        for (var i = 0; i < decisions; i++)
        {
            var n = random.Next(count);
            var ip = Ipv4Address.FromUInt32(PostureBench.FirstIp + (uint)n);
            var held = n % tags;
            requests[i] = new PostureRequest
            {
                Tunnel = "dialup",
                Instance = "dialup_" + i,
                Match = new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, EmsSnCheck = true, ZtnaTags = [$"EMS1_ZTNA_tag{(held + 1) % tags}", $"EMS1_ZTNA_tag{(held + 2) % tags}", $"EMS1_ZTNA_tag{held}"] },
                Peer = new IPEndPoint(IPAddress.Parse("203.0.113.5"), 4500),
                FortiClientConnect = FortiClientConnectBody.Build(new FortiClientConnectInfo { Uid = PostureBench.Uid(n), Ip = ip, EmsSerial = "FCTEMS0000000001" }),
            };
        }
        var ticks = new long[decisions];
        var allowed = 0;
        for (var i = 0; i < decisions; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var decision = gate.EvaluateAsync(requests[i], CancellationToken.None).GetAwaiter().GetResult();
            ticks[i] = Stopwatch.GetTimestamp() - start;
            if (decision is PostureDecision.Allow)
                allowed++;
            gate.TunnelClosed(requests[i].Instance);
        }
        var full = PostureBench.Percentiles(ticks);
        if (allowed != decisions)
        {
            Console.WriteLine($"CHECK FAILED: {decisions - allowed} decisions refused");
            rc = 1;
        }

        Console.WriteLine($"baseline HashSet<uint>.Contains            p50 {baseline.P50,7:F0} ns  p99 {baseline.P99,7:F0} ns");
        Console.WriteLine($"tag resolves ip, 1,000 endpoints           p50 {lookupSmall.P50,7:F0} ns  p99 {lookupSmall.P99,7:F0} ns");
        Console.WriteLine($"tag resolves ip, 100,000 endpoints         p50 {lookupMedium.P50,7:F0} ns  p99 {lookupMedium.P99,7:F0} ns");
        Console.WriteLine($"tag resolves ip, {count:N0} endpoints   p50 {lookupLarge.P50,7:F0} ns  p99 {lookupLarge.P99,7:F0} ns  ratio to 1k {lookupLarge.P50 / lookupSmall.P50:F2}x, to baseline {lookupLarge.P50 / baseline.P50:F2}x");
        Console.WriteLine($"full decision (3 tags, parse, audit)       p50 {full.P50,7:F0} ns  p99 {full.P99,7:F0} ns  ratio to baseline {full.P50 / baseline.P50:F0}x");
        return rc;
    }

    private static (double P50, double P99) Time(uint[] probes, Func<uint, bool> lookup)
    {
        var sink = 0;
        foreach (var ip in probes.AsSpan(0, Math.Min(10_000, probes.Length)))
            sink += lookup(ip) ? 1 : 0;
        var ticks = new long[probes.Length];
        for (var i = 0; i < probes.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += lookup(probes[i]) ? 1 : 0;
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        GC.KeepAlive(sink);
        return PostureBench.Percentiles(ticks);
    }

    private sealed class DisposeSync(EmsConnector value) : IDisposable
    {
        public EmsConnector Value { get; } = value;
        public void Dispose() => Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
