// Tag removal → TunnelRevoked with 10,000 live tunnels: time from the EMS change being applied
// to the store (as the push stream does) to the event, per removal, beside the baseline of an
// EMS change that keeps the tag (same path, no revocation); and one snapshot that removes the
// tag from every endpoint at once.
using System.Diagnostics;
using System.Net;
using PostureGate.Admission;
using PostureGate.Posture;

namespace PostureGate.Bench.Posture;

public sealed class RevocationBenchmark : IBenchmark
{
    public string Name => "posture-revoke";
    public string Description => "tag removal -> TunnelRevoked with 10,000 tunnels: p50/p99 vs no-op change";

    public int Run(string[] args)
    {
        var tunnels = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        const int tags = 100;
        var endpoints = PostureBench.Endpoints(tunnels, tags);
        var store = new TagStore();
        var connector = PostureBench.SyncedConnectorAsync(store, endpoints, tags).GetAwaiter().GetResult();
        using var gate = new PostureGateKeeper(store, [connector], new ZtnaTokenVerifier(new PinnedKeyStore()));
        for (var i = 0; i < tunnels; i++)
        {
            var e = endpoints[i];
            var decision = gate.EvaluateAsync(new PostureRequest
            {
                Tunnel = "dialup",
                Instance = "dialup_" + i,
                Match = new RemoteGwMatch { Mode = RemoteGwMatchMode.Ztna, ZtnaTags = [$"EMS1_ZTNA_{e.Tags[0]}"] },
                Peer = new IPEndPoint(e.Ip!, 4500),
                FortiClientConnect = FortiClientConnectBody.Build(new FortiClientConnectInfo { Uid = e.Uid, Ip = e.Ip }),
            }, CancellationToken.None).GetAwaiter().GetResult();
            if (decision is not PostureDecision.Allow)
                return 1;
        }
        Console.WriteLine($"{gate.LiveTunnels.Count} live tunnels");

        long revokedAt = 0;
        var revoked = 0;
        gate.TunnelRevoked += _ =>
        {
            revokedAt = Stopwatch.GetTimestamp();
            revoked++;
        };
        var ems = store.For(1);
        const int samples = 2000;
        var noop = new long[samples];
        var revoke = new long[samples];
        for (var i = 0; i < samples; i++)
        {
            var e = endpoints[i];
            // Baseline: a change that keeps the tag (an extra one added).
            var start = Stopwatch.GetTimestamp();
            ems.Upsert(e with { Tags = [.. e.Tags, "extra"] });
            noop[i] = Stopwatch.GetTimestamp() - start;
            // Measured: the tag the tunnel was admitted by is removed.
            start = Stopwatch.GetTimestamp();
            ems.Upsert(e with { Tags = ["none"] });
            revoke[i] = revokedAt - start;
        }
        var b = PostureBench.Percentiles(noop);
        var m = PostureBench.Percentiles(revoke);
        var bulkBefore = revoked;
        var sw = Stopwatch.StartNew();
        ems.ReplaceAll(2, endpoints.Select(e => e with { Tags = ["none"] }));
        var bulk = sw.Elapsed;
        Console.WriteLine($"baseline change keeping the tag:     p50 {b.P50 / 1000,8:F1} us  p99 {b.P99 / 1000,8:F1} us");
        Console.WriteLine($"tag removed -> TunnelRevoked:        p50 {m.P50 / 1000,8:F1} us  p99 {m.P99 / 1000,8:F1} us  ratio {m.P50 / b.P50:F2}x");
        Console.WriteLine($"snapshot removing the tag from all:  {revoked - bulkBefore} tunnels revoked in {bulk.TotalMilliseconds:F1} ms");
        connector.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return revoked == tunnels && gate.LiveTunnels.Count == 0 ? 0 : 1;
    }
}
