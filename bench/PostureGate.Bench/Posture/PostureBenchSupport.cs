// Shared setup for the posture benchmarks: an in-memory EMS (snapshot, then a silent stream),
// endpoints with tags drawn from a fixed set, percentiles.
using System.Net;
using System.Runtime.CompilerServices;
using PostureGate.Posture;

namespace PostureGate.Bench.Posture;

internal sealed class StaticEmsClient(EmsSnapshot snapshot) : IEmsClient
{
    public Task<EmsAnswer<EmsSnapshot>> GetSnapshotAsync(CancellationToken cancellationToken) => Task.FromResult(EmsAnswer<EmsSnapshot>.Ok(snapshot));
    public Task<EmsAnswer<string>> GetJwksAsync(CancellationToken cancellationToken) => Task.FromResult(EmsAnswer<string>.Ok("""{"keys":[]}"""));
    public Task<EmsAnswer<EndpointEntry>> LookupByUidAsync(string uid, CancellationToken cancellationToken) => Task.FromResult(EmsAnswer<EndpointEntry>.NotFound("bench"));
    public Task<EmsAnswer<EndpointEntry>> LookupByIpAsync(IPAddress ip, CancellationToken cancellationToken) => Task.FromResult(EmsAnswer<EndpointEntry>.NotFound("bench"));

    public async IAsyncEnumerable<EmsChange> StreamChangesAsync(long since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        yield break;
    }

    public void Dispose() { }
}

internal static class PostureBench
{
    public const uint FirstIp = 0x0A000000; // 10.0.0.0

    public static string Uid(int n) => n.ToString("X32");

    public static EmsConnectorSettings Settings(int id = 1) => new()
    {
        Id = id,
        Name = "bench",
        Server = "127.0.0.1",
        SerialNumber = "FCTEMS0000000001",
        CertificateFingerprint = new string('0', 64),
        ApiKey = "bench",
    };

    /// <summary>Endpoint i at 10.x.y.z holds tags i%tags and (i/7)%tags; tag arrays are shared to keep 1M endpoints small.</summary>
    public static List<EndpointEntry> Endpoints(int count, int tags)
    {
        var names = Enumerable.Range(0, tags).Select(t => $"tag{t}").ToArray();
        var list = new List<EndpointEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var a = i % tags;
            var b = i / 7 % tags;
            list.Add(new EndpointEntry
            {
                Uid = Uid(i),
                Ip = Ipv4Address.FromUInt32(FirstIp + (uint)i),
                Tags = a == b ? [names[a]] : [names[a], names[b]],
            });
        }
        return list;
    }

    public static async Task<EmsConnector> SyncedConnectorAsync(TagStore store, IReadOnlyList<EndpointEntry> endpoints, int tags)
    {
        var snapshot = new EmsSnapshot(1, "FCTEMS0000000001", null, [.. Enumerable.Range(0, tags).Select(t => $"tag{t}")], endpoints);
        var connector = new EmsConnector(Settings(), store.For(1), new PinnedKeyStore(), new StaticEmsClient(snapshot));
        connector.Start();
        await connector.WaitForSyncAsync();
        return connector;
    }

    public static (double P50, double P99) Percentiles(long[] ticks)
    {
        Array.Sort(ticks);
        var toNs = 1e9 / System.Diagnostics.Stopwatch.Frequency;
        return (ticks[ticks.Length / 2] * toNs, ticks[(int)(ticks.Length * 0.99)] * toNs);
    }
}
