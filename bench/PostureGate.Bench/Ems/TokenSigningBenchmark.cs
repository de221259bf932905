// ZTNA token signing rate: the full issuer (payload + JsonWebTokenHandler RS256) beside raw
// RSA.SignData over the same payload with the same key (the floor: the RSA private operation).
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PostureGate.Ems.Model;
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tokens;

namespace PostureGate.Bench.Ems;

public sealed class TokenSigningBenchmark : IBenchmark
{
    public string Name => "ems-token-sign";
    public string Description => "ZTNA token (JWT RS256) signings per second vs raw RSA.SignData";

    public int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 2000;
        var dir = Path.Combine(Path.GetTempPath(), "pg-bench-ems-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = EmsStore.Open(dir);
            using var keys = SigningKeyRing.Open(store);
            var issuer = new ZtnaTokenIssuer(keys);
            var endpoint = new EndpointRecord("F8A6AFF3531843B4972CBDBEEEB30E3C", "DESKTOP", "tester", "Windows", "10.0", "7.4.5.1949",
                "10.160.1.197", ["00:0c:29:2c:4d:d7"], "172.16.200.1", "{}", "B09D97178121B588ED3055137577522C7B689B79", 0, 0,
                [new TagRef("a", 1), new TagRef("all_registered_clients", 1), new TagRef("Low", 3)]);
            var settings = new TokenSettings(true, 3600, 900);
            var rsa = keys.Active.Rsa;
            var payload = Encoding.UTF8.GetBytes(ZtnaTokenIssuer.Payload(endpoint, endpoint.Tags, 1769761387, 1769757787));

            // Warm up both paths (JIT, provider caches).
            for (var i = 0; i < 50; i++)
            {
                issuer.Issue(endpoint, endpoint.Tags, settings, 1769757787 + i);
                rsa.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            var sw = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
                rsa.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var baseline = sw.Elapsed;

            sw.Restart();
            var length = 0;
            for (var i = 0; i < count; i++)
                length = issuer.Issue(endpoint, endpoint.Tags, settings, 1769757787 + i).Token.Length;
            var measured = sw.Elapsed;

            var baselineRate = count / baseline.TotalSeconds;
            var rate = count / measured.TotalSeconds;
            Console.WriteLine($"signings: {count}, token length {length} chars");
            Console.WriteLine($"baseline RSA.SignData (2048, SHA-256, PKCS#1): {baselineRate,10:F0} /s  ({baseline.TotalMicroseconds / count:F1} us each)");
            Console.WriteLine($"ZtnaTokenIssuer.Issue (payload + JWT RS256):   {rate,10:F0} /s  ({measured.TotalMicroseconds / count:F1} us each)");
            Console.WriteLine($"ratio issuer/baseline time: {measured / baseline:F2}x");
            return length > 0 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
