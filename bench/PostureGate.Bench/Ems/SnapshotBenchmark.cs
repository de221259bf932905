// Gateway snapshot of 100k endpoints: size and time of EmsStore.WriteSnapshotAsync (one read
// transaction, endpoints joined with their tags, JSON streamed) beside the baseline of reading the
// same rows from SQLite without producing JSON.
using System.Diagnostics;
using System.Text.Json;
using PostureGate.Ems.Storage;

namespace PostureGate.Bench.Ems;

public sealed class SnapshotBenchmark : IBenchmark
{
    public string Name => "ems-snapshot";
    public string Description => "gateway snapshot of 100k endpoints: bytes and time vs raw SQLite scan";

    public int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 100_000;
        var dir = Path.Combine(Path.GetTempPath(), "pg-bench-ems-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = EmsStore.Open(dir);
            var fill = Stopwatch.StartNew();
            Populate(store, count);
            Console.WriteLine($"populated {count} endpoints in {fill.Elapsed.TotalSeconds:F1} s");

            // Warm-up run of each.
            Scan(store);
            var counter = new CountingStream();
            store.WriteSnapshotAsync(counter).GetAwaiter().GetResult();

            var sw = Stopwatch.StartNew();
            var rows = Scan(store);
            var baseline = sw.Elapsed;

            counter = new CountingStream();
            sw.Restart();
            var version = store.WriteSnapshotAsync(counter).GetAwaiter().GetResult();
            var measured = sw.Elapsed;

            Console.WriteLine($"snapshot: version {version}, {counter.Length / 1e6:F1} MB ({counter.Length / (double)count:F0} bytes/endpoint)");
            Console.WriteLine($"baseline raw scan of endpoints+tags: {baseline.TotalMilliseconds,8:F0} ms ({rows} rows)");
            Console.WriteLine($"WriteSnapshotAsync (JSON):           {measured.TotalMilliseconds,8:F0} ms ({count / measured.TotalSeconds:F0} endpoints/s)");
            Console.WriteLine($"ratio snapshot/baseline time: {measured / baseline:F2}x");
            return counter.Length > count * 100L ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Bulk rows in one transaction (the API would take one fsync per registration).</summary>
    private static void Populate(EmsStore store, int count)
    {
        using var connection = store.Database.Open();
        using var tx = connection.BeginTransaction();
        using var endpoint = EmsStore.Command(connection, tx, """
            INSERT INTO endpoints(uid, host, "user", os, os_version, fct_version, ip, macs, public_ip, facts, ztna_cert_sn, registered_at, last_seen)
            VALUES ($uid, $host, 'user', 'Microsoft Windows 11', '10.0.22631', '7.4.5.1949', $ip, $macs, '198.51.100.7', '{}', $sn, 0, 0);
            """, ("$uid", ""), ("$host", ""), ("$ip", ""), ("$macs", ""), ("$sn", ""));
        using var tag = EmsStore.Command(connection, tx, "INSERT INTO endpoint_tags(uid, tag, source) VALUES ($uid, $tag, $source);",
            ("$uid", ""), ("$tag", ""), ("$source", ""));
        using var define = EmsStore.Command(connection, tx, "INSERT INTO tags(name, type) VALUES ('Low', 3), ('a', 1);");
        define.ExecuteNonQuery();
        for (var i = 0; i < count; i++)
        {
            var uid = i.ToString("X32");
            endpoint.Parameters["$uid"].Value = uid;
            endpoint.Parameters["$host"].Value = "DESKTOP-" + i;
            endpoint.Parameters["$ip"].Value = $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}";
            endpoint.Parameters["$macs"].Value = JsonSerializer.Serialize(new[] { $"00:0c:29:{i >> 16 & 255:x2}:{i >> 8 & 255:x2}:{i & 255:x2}" });
            endpoint.Parameters["$sn"].Value = EmsStore.RandomHex(20);
            endpoint.ExecuteNonQuery();
            tag.Parameters["$uid"].Value = uid;
            tag.Parameters["$tag"].Value = "all_registered_clients";
            tag.Parameters["$source"].Value = "rule";
            tag.ExecuteNonQuery();
            if (i % 3 == 0)
            {
                tag.Parameters["$tag"].Value = i % 2 == 0 ? "Low" : "a";
                tag.Parameters["$source"].Value = "admin";
                tag.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }

    private static long Scan(EmsStore store)
    {
        using var connection = store.Database.Open();
        using var tx = store.Database.Dialect.BeginRead(connection);
        long rows = 0;
        foreach (var sql in new[]
        {
            "SELECT uid, host, user, os, os_version, fct_version, ip, macs, public_ip, ztna_cert_sn, registered_at, last_seen FROM endpoints ORDER BY uid;",
            "SELECT et.uid, t.name, t.type FROM endpoint_tags et JOIN tags t ON t.name = et.tag ORDER BY et.uid, t.name;",
        })
        {
            using var command = EmsStore.Command(connection, tx, sql);
            using var reader = command.ExecuteReader();
            var values = new object[reader.FieldCount];
            while (reader.Read())
            {
                reader.GetValues(values);
                rows++;
            }
        }
        return rows;
    }
}
