// A private, throwaway PostgreSQL cluster for the store's tests: initdb in a temporary
// directory, the server listening on a Unix socket in that directory only (no TCP port), trust
// authentication (the socket directory is owner-only), stopped and removed at the end. As root
// the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
using System.Diagnostics;
using Npgsql;

namespace PostureGate.Ems.Tests.Postgres;

public sealed class PostgresCluster : IDisposable
{
    private const string RequireVariable = "PG_REQUIRE_NETNS";
    private const string Superuser = "pgate";

    private readonly string? _bin;
    private readonly string? _root;
    private int _databases;

    public PostgresCluster()
    {
        _bin = FindBin();
        if (_bin is null)
        {
            Unavailable = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (Debian package postgresql)";
            return;
        }
        var asPostgres = Environment.IsPrivilegedProcess;
        if (asPostgres && !UserExists("postgres"))
        {
            Unavailable = "running as root but there is no `postgres` user to run the server as (Debian package postgresql makes it)";
            return;
        }
        _root = Path.Combine(Path.GetTempPath(), "pgate-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Run(asPostgres, "/bin/mkdir", "-m", "0700", _root);
        var data = Path.Combine(_root, "data");
        Run(asPostgres, Path.Combine(_bin, "initdb"), "-D", data, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
        // No TCP listener; the socket sits in the private directory. fsync off: a test cluster.
        Run(asPostgres, Path.Combine(_bin, "pg_ctl"), "-D", data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "120",
            "-o", $"-c listen_addresses='' -c unix_socket_directories='{_root}' -c fsync=off -c max_connections=200", "start");
        AsPostgres = asPostgres;
        AdminConnectionString = new NpgsqlConnectionStringBuilder { Host = _root, Username = Superuser, Database = "postgres", Pooling = false }.ToString();
    }

    /// <summary>Why there is no cluster; null when it runs.</summary>
    public string? Unavailable { get; }

    private bool AsPostgres { get; }

    public string AdminConnectionString { get; } = "";

    /// <summary>Returns when the cluster runs; otherwise skips the calling test, or fails it under
    /// PG_REQUIRE_NETNS=1 (CI must never report green because nothing ran).</summary>
    public void EnsureOrSkip()
    {
        if (Unavailable is null)
            return;
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            throw new InvalidOperationException($"{RequireVariable}=1 forbids skipping: {Unavailable}");
        Skip.If(true, Unavailable);
    }

    /// <summary>A new empty database; its connection string.</summary>
    public string NewDatabase()
    {
        EnsureOrSkip();
        var name = $"ems_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder { Host = _root, Username = Superuser, Database = name }.ToString();
    }

    public void Dispose()
    {
        if (_root is null || _bin is null)
            return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            Run(AsPostgres, Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_root, "data"), "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Never started (initdb failed): nothing to stop.
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindBin()
    {
        const string parent = "/usr/lib/postgresql";
        if (!Directory.Exists(parent))
            return null;
        return Directory.GetDirectories(parent)
            .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d).Split('.')[0], out var v) ? v : 0))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin"))
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")));
    }

    private static bool UserExists(string name) =>
        File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    private static void Run(bool asPostgres, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(asPostgres ? "/usr/sbin/runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
                start.ArgumentList.Add(a);
        }
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}: {error.Result}{output.Result}");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
